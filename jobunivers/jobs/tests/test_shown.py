"""The shown page's postings read by id (shown.py) are the ORM's, row for row and value for value, on
both databases: the same readable windows (validation.readable_filter) leave out the same rows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from jobunivers.jobs.models import JobPosting
from jobunivers.jobs.search import JobQuery, search_postings
from jobunivers.jobs.shown import postings_by_id
from jobunivers.jobs.tests.factories import JobPostingFactory
from jobunivers.jobs.tests.test_bad_rows import BAD_ROWS
from jobunivers.jobs.validation import readable_filter
from jobunivers.jobs.views import RESULT_FIELDS

# The stored rows outside a date window that the read paths already survive (test_bad_rows), and one
# changed before the earliest day: column = value as SQL, (PostgreSQL, SQLite); None where it cannot be stored.
DATE_COLUMNS = ("published_at", "changed_at", "application_deadline")
OUTSIDE = {name: row for name, row in BAD_ROWS.items() if row[0] in DATE_COLUMNS} | {
    "changed before 2000": ("changed_at", "'1999-12-01 00:00:00+00'", "'1999-12-01 00:00:00'"),
}


def _values(posting: JobPosting) -> tuple:
    return tuple(getattr(posting, name) for name in ("id", "status", "latitude", "longitude", *RESULT_FIELDS))


@pytest.mark.django_db
def test_the_shown_postings_are_the_orms_inside_and_outside_every_window():
    # given postings inside the windows (with and without a deadline) and one outside each window
    inside = [JobPostingFactory(application_deadline=None),
              JobPostingFactory(application_deadline=date.today() + timedelta(days=30), title="Kok, 30 timer"),
              JobPostingFactory(published_at=timezone.now() - timedelta(days=400), latitude=None, longitude=None)]
    outside = []
    for column, postgres, sqlite in OUTSIDE.values():
        value = postgres if connection.vendor == "postgresql" else sqlite
        if value is None:
            continue
        posting = JobPostingFactory()
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE jobs_jobposting SET {column} = {value} WHERE id = %s", [posting.pk])  # noqa: S608 - fixed names
        outside.append(posting.pk)
    ids = [p.pk for p in inside] + outside + [10**9]
    # when the page's postings are read by id, and by the ORM with the readable filter
    shown = postings_by_id(ids, RESULT_FIELDS)
    orm = JobPosting.objects.filter(readable_filter()).only(*RESULT_FIELDS, "status", "latitude", "longitude").in_bulk(
        [p.pk for p in inside])
    # then the same rows with the same values (aware datetimes, dates), and none from outside a window
    assert sorted(shown) == sorted(p.pk for p in inside)
    assert {pk: _values(p) for pk, p in shown.items()} == {pk: _values(p) for pk, p in orm.items()}
    assert timezone.is_aware(shown[inside[0].pk].published_at)
    assert shown[inside[1].pk].application_deadline == date.today() + timedelta(days=30)
    assert shown[inside[0].pk].pk == inside[0].pk
    # and what was not asked for is not there, rather than read by a query of its own
    with pytest.raises(AttributeError):
        shown[inside[0].pk].description  # noqa: B018 - the attribute access is the test


@pytest.mark.django_db
def test_the_rows_are_read_in_one_statement_with_the_fields_asked_for(django_assert_num_queries):
    posting = JobPostingFactory(title="Tømrer, 37 timer", employer_name="Byg & Co")
    with django_assert_num_queries(1):
        shown = postings_by_id([posting.pk], ("title", "employer_name"))
    assert shown[posting.pk]._fields == ("id", "status", "latitude", "longitude", "title", "employer_name")
    assert (shown[posting.pk].title, shown[posting.pk].employer_name) == ("Tømrer, 37 timer", "Byg & Co")


@pytest.mark.django_db
def test_no_ids_read_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert postings_by_id([], RESULT_FIELDS) == {}


@pytest.mark.django_db
def test_a_search_page_of_100_postings_reads_them_in_one_statement(django_assert_max_num_queries):
    JobPostingFactory.create_batch(120, title="Lagermedarbejder")
    from jobunivers.jobs.catalogue import clear
    clear()
    results = search_postings(JobQuery(sort="date", page_size=100), fields=RESULT_FIELDS)
    assert results.total == 120 and len(results.hits) == 100
    assert [h.posting.published_at for h in results.hits] == sorted((h.posting.published_at for h in results.hits),
                                                                    reverse=True)
