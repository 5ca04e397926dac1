"""How an import batch reaches PostgreSQL (issue 12: import speed). Many postings go in as one
`INSERT ... SELECT * FROM UNNEST(...)` with one array per column, not one placeholder per value:
the search vector column used to rule that out (see models.TriggerMaintainedSearchVectorField)."""

import json

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobunivers.jobs.models import JobPosting
from jobunivers.jobs.services import import_from_location
from jobunivers.jobs.tests.test_import import _ad


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the UNNEST insert is PostgreSQL's")
def test_a_batch_of_postings_is_inserted_with_one_unnest_statement_and_gets_its_search_vector(db, tmp_path):
    # given a stream file of 30 ads
    path = tmp_path / "stream.json"
    path.write_text(json.dumps([_ad(f"U{i}", headline=f"Tømrer nummer {i}") for i in range(30)]))
    # when it is imported
    with CaptureQueriesContext(connection) as captured:
        report = import_from_location(source="jobtech", location=str(path), embed=False)
    # then one INSERT wrote all postings, through UNNEST
    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('INSERT INTO "jobs_jobposting"')]
    assert report.created == 30
    assert len(inserts) == 1
    assert "UNNEST(" in inserts[0]
    # and the database trigger still gave each posting its search vector
    assert JobPosting.objects.filter(search_vector__isnull=True).count() == 0
    assert JobPosting.objects.filter(search_vector=SearchQuery("tømrer", config="danish")).count() == 30
