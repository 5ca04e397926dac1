"""Exactly one booking per slot under concurrency: 50 citizens press "book" on the same slot at once,
each in its own thread with its own database connection (PostgreSQL; SQLite serialises writers)."""

import threading

import pytest
from django.db import connection, connections

from jobunivers.booking import services
from jobunivers.booking.models import Booking, Invitation
from jobunivers.citizens.models import PlanItem
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.tenancy.roles import Role

from .factories import at, hours, weekday_ahead

ATTEMPTS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_attempts_on_one_slot_give_one_booking_and_49_clear_refusals(municipality, member):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers (run with DATABASE_URL=postgres://...)")
    # given one adviser's slot and 50 citizens
    adviser = member(Role.JOB_ADVISER, municipality)
    hours(municipality, adviser)
    citizens = [CitizenFactory(municipality=municipality) for _ in range(ATTEMPTS)]
    when = at(weekday_ahead(), 10, 0)
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[tuple[str, object]] = []
    lock = threading.Lock()

    def attempt(citizen):
        try:
            barrier.wait(timeout=60)
            booking = services.booking_create(actor=citizen.user, citizen=citizen, adviser_id=adviser.pk,
                                              starts_at=when, channel="video", purpose="job_search",
                                              idempotency_key=f"k-{citizen.pk}")
            result = ("booked", booking.pk)
        except services.SlotTaken as taken:
            result = ("taken", (taken.messages, [s.starts_at for s in taken.alternatives]))
        except Exception as error:  # noqa: BLE001 - the test reports anything else as a failure
            result = ("error", repr(error))
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(c,)) for c in citizens]
    # when all of them book at once
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    # then exactly one booking, and 49 "taken, here are the next free times"
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["booked"] + ["taken"] * (ATTEMPTS - 1), [o for o in outcomes if o[0] == "error"][:3]
    assert Booking.all_tenants.filter(starts_at=when).count() == 1
    assert (Invitation.all_tenants.count(), PlanItem.all_tenants.count()) == (1, 1)
    for _kind, (messages, alternatives) in (o for o in outcomes if o[0] == "taken"):
        assert list(messages) == ["starts_at"]
        assert alternatives and when not in alternatives
