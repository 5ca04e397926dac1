"""The event bus isolates handlers: a failure is logged without personal data and retried by a task,
the other handlers still run, and a committed write never turns into an error response."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

import pytest
from django.utils import timezone

from jobunivers.citizens.contracts import JobLogEntryAdded
from jobunivers.citizens.models import JobLogEntry
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core import events
from jobunivers.core.testing import client_for, murl
from jobunivers.tenancy.models import Theme

pytestmark = pytest.mark.django_db

SECRET = "0101901234 Jens Hansen"  # what an exception message might carry; it must never reach the log


@dataclass(frozen=True)
class SomethingHappened:
    municipality_id: int
    label: str
    when: datetime.datetime
    tags: tuple[str, ...] = ()


@pytest.fixture
def subscribed():
    added: list[tuple[type, object]] = []

    def add(event_type, handler):
        events.subscribe(event_type, handler)
        added.append((event_type, handler))

    yield add
    for event_type, handler in added:
        events.unsubscribe(event_type, handler)


def failing(event):
    raise RuntimeError(f"cannot handle {SECRET}")


def test_a_failing_handler_does_not_stop_the_others(subscribed):
    # given three handlers, the middle one failing
    seen: list[str] = []
    subscribed(SomethingHappened, lambda e: seen.append("first"))
    subscribed(SomethingHappened, failing)
    subscribed(SomethingHappened, lambda e: seen.append("third"))
    # when the event is published
    events.publish(SomethingHappened(municipality_id=1, label="x", when=timezone.now()))
    # then the handlers before and after it ran, and publish did not raise
    assert seen == ["first", "third"]


def test_a_failure_is_logged_without_personal_data(subscribed, caplog, django_capture_on_commit_callbacks,
                                                   monkeypatch):
    # given a handler whose exception message quotes a citizen, and a broker that only records the retry
    subscribed(SomethingHappened, failing)
    queued = []
    from jobunivers.core import tasks

    monkeypatch.setattr(tasks.retry_event_handler, "delay", lambda *args: queued.append(args))
    # when it fails
    with caplog.at_level(logging.ERROR, logger="jobunivers.core.events"), \
            django_capture_on_commit_callbacks(execute=True):
        events.publish(SomethingHappened(municipality_id=1, label=SECRET, when=timezone.now()))
    # then the log names the handler, the event type and the kind of error, and nothing of the person
    assert [r.getMessage() for r in caplog.records] == [
        "event handler failed: handler=jobunivers.core.tests.test_events:failing event=SomethingHappened "
        "error=RuntimeError; retrying in the background"]
    assert all(r.exc_info is None for r in caplog.records)
    # and a retry of exactly that handler was queued
    assert [args[0] for args in queued] == ["jobunivers.core.tests.test_events:failing"]


def test_a_failed_handler_is_retried_by_the_task_and_its_partial_writes_are_undone(
        subscribed, municipality, django_capture_on_commit_callbacks, monkeypatch):
    # given a handler that writes, then fails the first time only
    calls: list[str] = []

    def flaky(event):
        Theme.objects.filter(municipality_id=event.municipality_id).update(display_name=event.label)
        calls.append(event.label)
        if len(calls) == 1:
            raise RuntimeError("first time")

    subscribed(SomethingHappened, flaky)
    Theme.objects.update_or_create(municipality=municipality, defaults={"display_name": "Før"})
    from jobunivers.core import tasks

    queued = []
    monkeypatch.setattr(tasks.retry_event_handler, "delay", lambda *args: queued.append(args))
    event = SomethingHappened(municipality_id=municipality.pk, label="Efter", when=timezone.now(), tags=("a", "b"))
    # when the event is published and the handler fails
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(event)
    # then its write was undone and one retry is queued
    assert Theme.objects.get(municipality=municipality).display_name == "Før"
    assert len(queued) == 1
    # when the worker runs the queued retry
    tasks.retry_event_handler.apply(args=queued[0]).get()
    # then the same handler ran again with an equal event, and its write is there
    assert calls == ["Efter", "Efter"]
    assert Theme.objects.get(municipality=municipality).display_name == "Efter"


def test_the_retry_task_only_runs_subscribed_handlers(subscribed):
    # given an event payload naming a handler that is not subscribed
    seen = []
    subscribed(SomethingHappened, seen.append)
    payload = events.encode(SomethingHappened(municipality_id=1, label="x", when=timezone.now()))
    # when the retry task is asked to run it
    events.retry("os:system", payload)
    # then nothing ran
    assert seen == []


def test_events_survive_the_trip_through_json(subscribed):
    # given an event with a datetime, a date-like tuple and nested values
    event = SomethingHappened(municipality_id=7, label="æøå", when=timezone.now(), tags=("x", "y"))
    # when it is encoded and decoded
    import json

    decoded = events.decode(json.loads(json.dumps(events.encode(event))))
    # then it is equal to the original
    assert decoded == event


def test_a_marketplace_use_with_a_decimal_quantity_survives_the_trip_through_json():
    # given the marketplace's "use recorded" event, whose quantity is a Decimal (hours of a session)
    import json
    from decimal import Decimal

    from jobunivers.marketplace.contracts import UseRecorded

    event = UseRecorded(municipality_id=1, offer_id=2, vendor_id=3, kind="session", quantity=Decimal("1.50"),
                        occurred_at=timezone.now(), citizen_id=4, use_event_id=5, offer_title="Jobsøgning på 8 uger")
    # when it is encoded for a retry and decoded by the worker
    decoded = events.decode(json.loads(json.dumps(events.encode(event))))
    # then it is the same event, the quantity still an exact Decimal
    assert decoded == event
    assert decoded.quantity == Decimal("1.50") and isinstance(decoded.quantity, Decimal)


def test_a_committed_write_answers_normally_when_a_handler_fails(subscribed, municipality,
                                                                django_capture_on_commit_callbacks):
    # given a citizen, and a handler of "job log entry added" that fails
    citizen = CitizenFactory(municipality=municipality)
    subscribed(JobLogEntryAdded, failing)
    client = client_for(citizen.user)
    # when the citizen adds a job log entry and the write commits
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(murl(municipality, "citizens:job_log"), {
            "kind": "application", "employer": "Arla", "job_title": "Chauffør",
            "occurred_on": timezone.localdate().isoformat(), "status": "sent"})
    # then the answer is the normal redirect, not a 500, and the entry is stored
    assert response.status_code == 302
    assert JobLogEntry.all_tenants.filter(citizen=citizen).count() == 1
