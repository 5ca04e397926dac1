"""Fan-out per import run: the per-citizen cap holds across the whole run and across runs within its
window, postings are fanned out exactly once, and the sweep finds those that never were."""

from __future__ import annotations

import datetime

import numpy as np
import pytest
from django.db.models import Count
from django.utils import timezone

from jobunivers.jobs.models import JobPosting
from jobunivers.jobs.services import postings_import
from jobunivers.jobs.sources.base import FeedRecord
from jobunivers.matching import fanout, tasks
from jobunivers.matching.models import PostingFanout
from jobunivers.notifications.models import Notification, OutboxMessage
from jobunivers.taxonomy import embeddings

from .helpers import citizen_seeking, occupation, posting

DEFAULT_DAILY_CAP = 3  # MunicipalitySettings.job_notices_per_day when the municipality has not changed it

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_vectors(monkeypatch):
    # Every text means the same here: the cap and the bookkeeping are under test, not the model.
    vector = np.zeros(embeddings.DIMENSIONS, dtype=np.float32)
    vector[0] = 1.0
    monkeypatch.setattr(embeddings, "compute", lambda texts, kind: np.tile(vector, (len(texts), 1)))


@pytest.fixture
def trades(municipality):
    carpenter, nurse = occupation("tømrer", "7115"), occupation("sygeplejerske", "2221")
    citizens = [citizen_seeking(municipality, [carpenter]) for _ in range(12)]
    citizens += [citizen_seeking(municipality, [nurse]) for _ in range(8)]
    for n, citizen in enumerate(citizens):
        citizen.user.email = f"c{n}@example.dk"
        citizen.user.save(update_fields=["email"])
    return {"carpenter": carpenter, "nurse": nurse, "citizens": citizens}


def _records(trades, count: int, *, prefix: str) -> list[FeedRecord]:
    now = timezone.now()
    return [FeedRecord(position=f"ad {n}", external_id=f"{prefix}-{n}", title=f"Stilling {n}", employer_name="Byg A/S",
                       occupation_uri=(trades["carpenter"] if n % 2 else trades["nurse"]).uri,
                       latitude=56.1567, longitude=10.2108, city="Aarhus", postcode="8000", hours="full_time",
                       employment_type="permanent", published_at=now - datetime.timedelta(hours=n % 48),
                       changed_at=now) for n in range(count)]


def _notices_per_citizen() -> dict[int, int]:
    return dict(Notification.all_tenants.filter(kind="job_match").values("recipient_id")
                .annotate(n=Count("id")).values_list("recipient_id", "n"))


def test_an_import_of_1500_postings_gives_no_citizen_more_notices_than_the_cap(trades, settings,
                                                                              django_capture_on_commit_callbacks):
    # given twenty citizens who match about half of the postings each, and batches of 200
    settings.MATCHING_FANOUT_BATCH_SIZE = 200
    # when 1,500 postings are imported and the import's events run (tasks run eagerly)
    with django_capture_on_commit_callbacks(execute=True):
        report = postings_import(source="test", items=_records(trades, 1500, prefix="a"), embed=False)
    # then every posting was fanned out once, and each citizen got exactly the cap, no more
    assert report.created == 1500
    assert PostingFanout.objects.count() == 1500
    assert _notices_per_citizen() == {c.user_id: DEFAULT_DAILY_CAP for c in trades["citizens"]}
    assert OutboxMessage.all_tenants.filter(channel="in_app").count() == 20 * DEFAULT_DAILY_CAP


def test_the_cap_holds_across_runs_within_its_window(trades, django_capture_on_commit_callbacks):
    # given an import that used up everyone's cap
    with django_capture_on_commit_callbacks(execute=True):
        postings_import(source="test", items=_records(trades, 40, prefix="a"), embed=False)
    assert set(_notices_per_citizen().values()) == {3}
    # when another import arrives within the window
    with django_capture_on_commit_callbacks(execute=True):
        postings_import(source="test", items=_records(trades, 40, prefix="b"), embed=False)
    # then nobody got more, and the second run's postings are fanned out (with no notices)
    assert set(_notices_per_citizen().values()) == {3}
    assert PostingFanout.objects.count() == 80
    # and when the window has passed, the next run may notify again
    Notification.all_tenants.update(created_at=timezone.now() - fanout.NOTICE_CAP_WINDOW - datetime.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        postings_import(source="test", items=_records(trades, 4, prefix="c"), embed=False)
    assert set(_notices_per_citizen().values()) == {5}  # 3 old + 2 of the 4 new (one trade each)


def test_a_redelivered_batch_is_skipped_and_queues_nothing_again(trades):
    # given a batch that was fanned out (committed) but whose message is delivered again
    jobs = [posting(f"Tømrer {n}", trades["carpenter"]) for n in range(4)]
    first = tasks.fanout_postings.apply(args=([j.pk for j in jobs], True)).get()
    notices = Notification.all_tenants.count()
    # when the same message runs again
    again = tasks.fanout_postings.apply(args=([j.pk for j in jobs], True)).get()
    # then every posting is recognised as done and nothing new is written
    assert (first["postings"], first["skipped"]) == (4, 0)
    assert (again["postings"], again["skipped"], again["notices"]) == (0, 4, 0)
    assert Notification.all_tenants.count() == notices == 12 * 3


def test_a_batch_that_failed_before_its_commit_leaves_nothing_and_is_redone(trades, monkeypatch):
    # given a batch whose write fails half-way (the worker "dies" inside the transaction)
    jobs = [posting(f"Tømrer {n}", trades["carpenter"]) for n in range(2)]
    from jobunivers.matching import fanout as module

    real = module.notify_many
    monkeypatch.setattr(module, "notify_many", lambda **kw: (real(**kw), 1 / 0))
    with pytest.raises(ZeroDivisionError):
        tasks.fanout_postings.apply(args=([j.pk for j in jobs], True)).get()
    # then no notice and no mark is left
    assert (Notification.all_tenants.count(), PostingFanout.objects.count()) == (0, 0)
    # when it is delivered again
    monkeypatch.setattr(module, "notify_many", real)
    tasks.fanout_postings.apply(args=([j.pk for j in jobs], True)).get()
    # then it is done once
    assert PostingFanout.objects.count() == 2
    assert Notification.all_tenants.count() == 12 * 2


def test_the_sweep_fans_out_postings_that_never_were_and_only_those(trades):
    # given a posting whose fan-out was lost, one still inside the grace period, one too old, one done
    lost, fresh, ancient, done = (posting(f"Tømrer {n}", trades["carpenter"]) for n in range(4))
    now = timezone.now()
    JobPosting.objects.filter(pk=lost.pk).update(created_at=now - datetime.timedelta(minutes=30))
    JobPosting.objects.filter(pk=ancient.pk).update(created_at=now - datetime.timedelta(days=30))
    JobPosting.objects.filter(pk=done.pk).update(created_at=now - datetime.timedelta(minutes=30))
    PostingFanout.objects.create(posting=done, fanned_out_at=now)
    # when the sweep runs
    queued = tasks.sweep_fanout.apply().get()
    # then only the lost posting was fanned out
    assert queued == 1
    assert set(PostingFanout.objects.values_list("posting_id", flat=True)) == {lost.pk, done.pk}
    assert set(Notification.all_tenants.values_list("subject_key", flat=True)) == {f"posting:{lost.pk}"}
    assert fresh.pk and ancient.pk
    # and a second sweep finds nothing
    assert tasks.sweep_fanout.apply().get() == 0


def test_a_changed_posting_is_matched_again_without_notifying_anyone_twice(trades, municipality):
    # given a fanned-out posting and a citizen who joined afterwards
    job = posting("Tømrer", trades["carpenter"])
    tasks.fanout_postings.apply(args=([job.pk], True)).get()
    newcomer = citizen_seeking(municipality, [trades["carpenter"]])
    newcomer.user.email = "new@example.dk"
    newcomer.user.save(update_fields=["email"])
    # when the posting changes (only_new=False)
    result = tasks.fanout_postings.apply(args=([job.pk], False)).get()
    # then only the newcomer gets a notice
    assert result["notices"] == 1
    assert Notification.all_tenants.filter(recipient=newcomer.user).count() == 1
    assert Notification.all_tenants.count() == 13


def test_a_municipality_with_a_cap_of_one_gives_each_citizen_at_most_one_notice(trades, other_municipality,
                                                                               django_capture_on_commit_callbacks):
    # given a municipality whose administrator set the cap to 1, and a neighbour on the default (3)
    from jobunivers.tenancy.models import MunicipalitySettings

    home = trades["citizens"][0].municipality
    MunicipalitySettings.objects.filter(municipality=home).update(job_notices_per_day=1)
    neighbours = [citizen_seeking(other_municipality, [trades["carpenter"]]) for _ in range(3)]
    # when 40 matching postings are imported (tasks run eagerly)
    with django_capture_on_commit_callbacks(execute=True):
        postings_import(source="test", items=_records(trades, 40, prefix="a"), embed=False)
    # then each of the municipality's citizens got exactly one notice, its neighbours the default three
    counts = _notices_per_citizen()
    assert {c.user_id: counts.get(c.user_id) for c in trades["citizens"]} == {c.user_id: 1 for c in trades["citizens"]}
    assert {c.user_id: counts.get(c.user_id) for c in neighbours} == {c.user_id: DEFAULT_DAILY_CAP for c in neighbours}
    # and a second import the same day adds none for them
    with django_capture_on_commit_callbacks(execute=True):
        postings_import(source="test", items=_records(trades, 40, prefix="b"), embed=False)
    assert {c.user_id: _notices_per_citizen().get(c.user_id) for c in trades["citizens"]} == {
        c.user_id: 1 for c in trades["citizens"]}


def test_a_cap_of_zero_sends_no_job_notices(trades, django_capture_on_commit_callbacks):
    from jobunivers.tenancy.models import MunicipalitySettings

    MunicipalitySettings.objects.filter(municipality=trades["citizens"][0].municipality).update(job_notices_per_day=0)
    with django_capture_on_commit_callbacks(execute=True):
        postings_import(source="test", items=_records(trades, 20, prefix="a"), embed=False)
    assert _notices_per_citizen() == {}
    assert PostingFanout.objects.count() == 20
