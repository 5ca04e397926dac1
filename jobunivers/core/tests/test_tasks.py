import time

import pytest
from django.core.cache import cache

from jobunivers.core.tasks import heartbeat


def test_heartbeat_records_the_time_eagerly(settings):
    # given no heartbeat yet
    cache.delete("jobunivers:heartbeat")
    # when the task runs
    value = heartbeat.apply().get()
    # then the time is stored for the operator page
    assert cache.get("jobunivers:heartbeat") == value


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_heartbeat_runs_through_a_real_worker():
    # given a real Celery worker consuming from the configured broker (Redis in CI)
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    cache.delete("jobunivers:heartbeat")
    assert not app.conf.task_always_eager
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        # when the task is sent through the broker
        heartbeat.delay()
        deadline = time.monotonic() + 20
        while cache.get("jobunivers:heartbeat") is None and time.monotonic() < deadline:
            time.sleep(0.1)
    # then the worker ran it
    assert cache.get("jobunivers:heartbeat") is not None
