"""One question per interaction and one a day, decided by the database: ten workers handle five interactions
of one citizen (each delivered twice) at the same moment, each in its own thread and database connection
(PostgreSQL; SQLite serialises writers)."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.feedback import services
from jobunivers.feedback.models import PulseRequest
from jobunivers.notifications.models import Notification

from .helpers import interaction

WORKERS = 10


@pytest.mark.django_db(transaction=True)
def test_parallel_events_give_one_question_per_interaction_and_one_sent_that_day(municipality):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers (run with DATABASE_URL=postgres://...)")
    # given five interactions of one citizen, each delivered to two workers
    citizen = CitizenFactory(municipality=municipality)
    now = timezone.now()
    events = [interaction(citizen, key=f"booking:{n // 2}", occurred_at=now) for n in range(WORKERS)]
    barrier = threading.Barrier(WORKERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def work(event):
        try:
            barrier.wait(timeout=60)
            request = services.pulse_request(interaction=event, now=now)
            result = request.status if request is not None else "none"
        except Exception as error:  # noqa: BLE001 - the test reports anything else as a failure
            result = f"error {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=work, args=(event,)) for event in events]
    # when they all run at once
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    # then five questions: one sent (with one notice), four skipped, and no worker failed
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert len(outcomes) == WORKERS
    assert sorted(PulseRequest.all_tenants.values_list("status", flat=True)) == ["sent"] + ["skipped"] * 4
    assert sorted(PulseRequest.all_tenants.values_list("interaction_key", flat=True)) == [
        f"booking:{n}" for n in range(5)]
    assert Notification.all_tenants.filter(kind="feedback").count() == 1
