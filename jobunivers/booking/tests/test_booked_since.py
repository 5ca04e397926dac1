"""citizens_who_booked_since (journeys' "booked a conversation" and the experiment results): the same answer
whether the citizens are looked up 500 at a time or the municipality is read in one pass."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from jobunivers.booking import selectors
from jobunivers.booking.models import Booking
from jobunivers.citizens.tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db


def _booking(citizen, adviser, status, n):
    starts = timezone.now() + datetime.timedelta(days=1, hours=n)
    return Booking.all_tenants.create(municipality=citizen.municipality, uid=uuid.uuid4(), citizen=citizen,
                                      adviser=adviser, starts_at=starts, ends_at=starts + datetime.timedelta(minutes=15),
                                      channel="phone", purpose="job_search", status=status, booked_by_kind="citizen",
                                      idempotency_key=f"since-{n}")


@pytest.mark.parametrize("one_pass", [5000, 1])
def test_who_booked_after_their_time_not_cancelled_and_only_the_asked(world, monkeypatch, one_pass):
    monkeypatch.setattr(selectors, "ONE_PASS", one_pass)
    adviser = world.users["job_adviser"]
    booked, cancelled, late, not_asked = (CitizenFactory(municipality=world.home) for _n in range(4))
    other_municipality = CitizenFactory(municipality=world.other)
    for n, (citizen, status) in enumerate([(booked, "booked"), (cancelled, "cancelled"), (late, "held"),
                                            (not_asked, "booked"), (other_municipality, "booked")]):
        _booking(citizen, adviser, status, n)
    now = timezone.now()
    since = {booked.pk: now - datetime.timedelta(hours=1), cancelled.pk: now - datetime.timedelta(hours=1),
             late.pk: now + datetime.timedelta(hours=1), other_municipality.pk: now - datetime.timedelta(hours=1)}
    assert selectors.citizens_who_booked_since(municipality_id=world.home.pk, since=since) == {booked.pk}
