"""A real Celery worker killed with SIGKILL in the middle of a fan-out run: another worker finishes it,
every posting is fanned out exactly once and no notice is queued twice (make test-celery: PostgreSQL,
Redis, real worker processes)."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from jobunivers.core.events import publish
from jobunivers.jobs.contracts import PostingsPublished
from jobunivers.jobs.models import JobPosting
from jobunivers.matching import fanout
from jobunivers.matching.models import PostingFanout
from jobunivers.notifications.models import Notification, OutboxMessage

from .helpers import citizen_seeking, occupation

DEFAULT_DAILY_CAP = 3  # MunicipalitySettings.job_notices_per_day when the municipality has not changed it

ROOT = Path(__file__).resolve().parents[3]
POSTINGS = 240
BATCH = 12  # 20 tasks


def _worker(name: str, log: Path) -> subprocess.Popen:
    """A worker process of its own (its own process group, so SIGKILL reaches only it) on the test database."""
    database = connection.settings_dict
    url = (f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/"
           f"{database['NAME']}")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url,
           "CELERY_TASK_ALWAYS_EAGER": "0", "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
           # A killed worker's message comes back after 3 s instead of 15 minutes.
           "CELERY_VISIBILITY_TIMEOUT": "3"}
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1", "-n",
         f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)


def _redis():
    from config.celery import app

    return app.connection_for_write().default_channel.client


def _wait(condition, *, seconds: float, step: float = 0.01) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_run_leaves_every_posting_fanned_out_exactly_once(municipality, settings, tmp_path):
    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("needs PostgreSQL and Redis (make test-celery)")
    # given 30 carpenters and 20 nurses, and an import run of 240 postings in 20 batches
    settings.MATCHING_FANOUT_BATCH_SIZE = BATCH
    carpenter, nurse = occupation("tømrer", "7115"), occupation("sygeplejerske", "2221")
    citizens = [citizen_seeking(municipality, [carpenter if n < 30 else nurse]) for n in range(50)]
    now = timezone.now()
    JobPosting.objects.bulk_create([JobPosting(
        source="kill-test", external_id=str(n), title=f"Stilling {n}", employer_name="Byg A/S",
        occupation=carpenter if n % 2 else nurse, isco_code="7115" if n % 2 else "2221", latitude=56.1567,
        longitude=10.2108, city="Aarhus", postcode="8000", hours="full_time", employment_type="permanent",
        published_at=now - datetime.timedelta(hours=n % 24), changed_at=now) for n in range(POSTINGS)])
    ids = list(JobPosting.objects.filter(source="kill-test").values_list("pk", flat=True))
    redis = _redis()
    redis.delete("celery", "unacked", "unacked_index")
    # when the run is published (its tasks go to Redis) and a worker starts on it
    publish(PostingsPublished(source="kill-test", created_ids=tuple(ids)))
    assert redis.llen("celery") == POSTINGS // BATCH
    # and is killed with SIGKILL once a batch has committed, while it holds the next message. A batch
    # takes milliseconds, so the kill can land in the gap between one acknowledgement and the next
    # fetch; then nothing is in flight and the kill proves nothing: start a worker again and retry.
    for attempt in range(5):
        log = tmp_path / f"first-{attempt}.log"
        before = PostingFanout.objects.count()
        first = _worker(f"first{attempt}", log)
        try:
            caught = _wait(lambda: PostingFanout.objects.count() >= before + BATCH  # noqa: B023
                           and redis.hlen("unacked") == 1, seconds=180)
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=30)
        finally:
            if first.poll() is None:
                os.killpg(first.pid, signal.SIGKILL)
        done_at_kill = PostingFanout.objects.count()
        in_flight = redis.hlen("unacked")
        assert caught, log.read_text()[-3000:]
        if in_flight:
            break
    assert BATCH <= done_at_kill < POSTINGS  # killed mid-run
    assert in_flight == 1  # its message was taken and never acknowledged
    # when another worker starts
    second = _worker("second", tmp_path / "second.log")
    try:
        finished = _wait(lambda: PostingFanout.objects.count() == POSTINGS and redis.llen("celery") == 0
                         and redis.hlen("unacked") == 0, seconds=180, step=0.2)
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=60)
    assert finished, (tmp_path / "second.log").read_text()[-3000:]
    # then every posting was fanned out exactly once (one mark each, and no posting done twice)
    assert sorted(PostingFanout.objects.values_list("posting_id", flat=True)) == sorted(ids)
    # and no notice or delivery exists twice, and nobody got more than the cap
    assert not (Notification.all_tenants.values("recipient_id", "kind", "subject_key").annotate(n=Count("id"))
                .filter(n__gt=1).exists())
    assert not (OutboxMessage.all_tenants.values("recipient_id", "kind", "subject_key", "channel")
                .annotate(n=Count("id")).filter(n__gt=1).exists())
    per_citizen = dict(Notification.all_tenants.values("recipient_id").annotate(n=Count("id"))
                       .values_list("recipient_id", "n"))
    assert per_citizen == {c.user_id: DEFAULT_DAILY_CAP for c in citizens}
    # and the marks account for every notice (the killed batch left nothing half-written)
    assert sum(PostingFanout.objects.values_list("notices", flat=True)) == Notification.all_tenants.count()
    # and the sweep finds nothing left
    assert fanout.never_fanned_out(older_than=datetime.timedelta(0), within=datetime.timedelta(days=1),
                                   limit=1000) == []
