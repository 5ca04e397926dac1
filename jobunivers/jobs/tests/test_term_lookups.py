"""A new query's words read from PostgreSQL's full-text index in one statement (search._prefetch_terms):
the same matches and scores as one statement a word, and the same pages."""

from __future__ import annotations

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobunivers.jobs import catalogue
from jobunivers.jobs.search import JobQuery, _index_lookup, _index_lookups, search_postings
from jobunivers.jobs.tests.factories import JobPostingFactory

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's full-text index")]


def _ads():
    JobPostingFactory(title="Lagermedarbejder, 37 timer", description="Pluk og pak på lageret i Aarhus.")
    JobPostingFactory(title="Buschauffør", description="Kør rute 1A i Aarhus.")
    JobPostingFactory(title="Tømrer til renovering", description="Tag og vinduer.")
    JobPostingFactory(title="Lagerchef", description="Ledelse af lageret.", status="withdrawn")
    catalogue.clear()


def test_several_words_in_one_statement_match_as_one_statement_a_word():
    # given ads, one of them withdrawn, and words with many, one, no and a prefix match
    _ads()
    terms = ["lager", "aarhus", "tømrer", "ingenting", "buschauf", "og"]
    # when read together and one by one
    together = _index_lookups(terms)
    alone = {term: _index_lookup(term) for term in terms}
    # then the same ids with the same scores, in the order of the terms asked
    assert list(together) == terms
    for term in terms:
        ids, scores = together[term]
        one_ids, one_scores = alone[term]
        assert dict(zip(ids.tolist(), scores.tolist(), strict=True)) == dict(
            zip(one_ids.tolist(), one_scores.tolist(), strict=True)), term
    assert together["ingenting"][0].dtype == np.int64 and len(together["ingenting"][0]) == 0
    assert len(together["lager"][0]) == 1  # the withdrawn Lagerchef is not active


def test_a_new_query_reads_its_words_in_one_statement_and_finds_the_same_page():
    # given ads and a query of three new words, each required (an hours word or a place would be optional,
    # read only when the others match)
    _ads()
    query = JobQuery(text="lagermedarbejder pluk pak")
    # when searched with the word cache empty
    with CaptureQueriesContext(connection) as queries:
        first = search_postings(query)
    index_reads = [q["sql"] for q in queries.captured_queries if "to_tsquery" in q["sql"]]
    # then its words were read in one statement, and the page is what a search with the words cached gives
    assert len(index_reads) == 1 and "unnest" in index_reads[0]
    assert [h.posting.title for h in first.hits] == ["Lagermedarbejder, 37 timer"]
    again = search_postings(query)
    assert [(h.posting.pk, h.reason) for h in again.hits] == [(h.posting.pk, h.reason) for h in first.hits]
