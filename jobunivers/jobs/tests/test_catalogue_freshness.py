"""The search catalogue reads its version token at most once every JOBS_CATALOGUE_FRESHNESS seconds
(ADR 0182): a change made by another process is searchable within that time, a change made in this
process at the next search."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from jobunivers.jobs import catalogue
from jobunivers.jobs.models import JobPosting
from jobunivers.jobs.search import JobQuery, search_postings
from jobunivers.jobs.tests.factories import JobPostingFactory
from jobunivers.jobs.tests.factories import kitchen_record as _record


@pytest.fixture
def clock(monkeypatch, settings):
    """The catalogue's clock, moved by hand (only the catalogue module sees it), and production's window
    (the test settings keep the catalogue for an hour)."""
    settings.JOBS_CATALOGUE_FRESHNESS = 1
    now = [1_000.0]
    monkeypatch.setattr(catalogue, "time", SimpleNamespace(monotonic=lambda: now[0]))  # x
    return now


def test_the_token_is_read_at_most_once_a_second(db, clock, django_assert_num_queries):
    JobPostingFactory(title="Tømrer")
    first = catalogue.current()
    clock[0] += 0.9
    with django_assert_num_queries(0):
        assert catalogue.current() is first
    clock[0] += 0.2  # 1.1 s after the read
    with django_assert_num_queries(1):
        assert catalogue.current() is first  # nothing changed: the same catalogue


def test_another_process_s_write_is_searchable_within_the_window(db, clock, settings):
    settings.JOBS_CATALOGUE_FRESHNESS = 2
    JobPostingFactory(title="Tømrer")
    assert search_postings(JobQuery(text="kok")).total == 0
    # another process inserts a posting (no signal reaches this one)
    JobPosting.objects.bulk_create([JobPostingFactory.build(title="Kok til kantine")])
    clock[0] += 1.9
    assert search_postings(JobQuery(text="kok")).total == 0  # within the window: the catalogue it checked
    clock[0] += 0.2
    assert [hit.posting.title for hit in search_postings(JobQuery(text="kok")).hits] == ["Kok til kantine"]


def test_a_write_in_this_process_is_seen_by_the_next_search(db, clock):
    from jobunivers.jobs.services import postings_expire, postings_import

    # the clock stands still: only the writes themselves can make the search read the token
    assert search_postings(JobQuery(text="kok")).total == 0
    posting = JobPostingFactory(title="Kok")  # a model save
    assert search_postings(JobQuery(text="kok")).total == 1
    posting.status = "withdrawn"
    posting.save()
    assert search_postings(JobQuery(text="kok")).total == 0
    assert postings_import(source="test", items=[_record()], embed=False).created == 1  # a bulk insert
    assert search_postings(JobQuery(text="kok")).total == 1
    postings_import(source="test", items=[_record(hours="part_time")], embed=False)  # a bulk update
    assert search_postings(JobQuery(text="kok", hours="part_time")).total == 1
    postings_import(source="test", items=[_record(application_deadline=timezone.localdate() - timedelta(days=1))],
                    embed=False)
    assert postings_expire() == 1  # a queryset update
    assert search_postings(JobQuery(text="kok")).total == 0


def test_a_write_committed_while_the_token_is_read_is_not_missed(db, clock, monkeypatch, django_assert_num_queries):
    catalogue.current()
    read = catalogue.version_token

    def read_while_another_thread_commits():
        token = read()
        catalogue.changed()  # another thread's write commits after the token was read
        return token

    monkeypatch.setattr(catalogue, "version_token", read_while_another_thread_commits)
    catalogue.changed()
    catalogue.current()  # reads the token; the write that overlapped it does not count as checked
    monkeypatch.setattr(catalogue, "version_token", read)
    with django_assert_num_queries(1):
        catalogue.current()
    with django_assert_num_queries(0):
        catalogue.current()


def test_a_write_is_announced_again_when_its_transaction_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        JobPostingFactory(title="Kok")
    assert catalogue.changed in callbacks
