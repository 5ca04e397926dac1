"""Booking: the citizen's free-slot listing for a municipality with 50 advisers over 4 weeks.

Goal (issue 15): p95 <= 10 x the bare page's p95, through the full stack (middleware, view,
template), on SQLite and PostgreSQL.

Data (created once, reused): one municipality, 50 advisers with hours Monday–Friday 9–15 in all
three channels (15-minute slots: 24 a day each, about 24,000 in 4 weeks), half of every slot in
the next two weeks already booked (so the listing has to look past busy days), 10 absences a
week, and 300 citizens, a third with one of the advisers as personal consultant. Each request is
a different citizen and channel, like real traffic.
"""

from __future__ import annotations

import datetime
import random

from bench.harness import analyze, bare_baseline, database_label, emit, p95, setup, summary, timed_requests

ADVISERS = 50
CITIZENS = 300
SLUG = "bench-booking"
SAMPLES = 300


def _data():
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from jobunivers.accounts.models import User
    from jobunivers.booking.models import AvailabilityException, Booking, Location, WeeklyAvailability
    from jobunivers.citizens.models import Citizen
    from jobunivers.segmentation.models import ConsultantAssignment
    from jobunivers.tenancy.models import Membership, Municipality
    from jobunivers.tenancy.tests.factories import MunicipalityFactory

    municipality = Municipality.objects.filter(slug=SLUG).first() or MunicipalityFactory(
        code="9015", name="Bookingkommune", slug=SLUG, latitude=56.15, longitude=10.2)
    citizens = list(Citizen.all_tenants.filter(municipality=municipality).select_related("user").order_by("id"))
    # Bookings are refreshed on every run: the next weeks move with the calendar.
    Booking.all_tenants.filter(municipality=municipality).delete()
    AvailabilityException.all_tenants.filter(municipality=municipality).delete()
    rng = random.Random(15)
    with transaction.atomic():
        advisers = []
        for n in range(ADVISERS):
            user, created = User.objects.get_or_create(username=f"bench-booking-adviser-{n}",
                                                       defaults={"first_name": "Rådgiver", "last_name": str(n)})
            Membership.objects.get_or_create(user=user, municipality=municipality, role="job_adviser")
            advisers.append(user)
        if not WeeklyAvailability.all_tenants.filter(municipality=municipality).exists():
            place = Location.all_tenants.create(municipality=municipality, name="Jobcentret", address="Benchvej 1")
            WeeklyAvailability.all_tenants.bulk_create([WeeklyAvailability(
                municipality=municipality, adviser=a, weekday=d, starts=datetime.time(9, 0), ends=datetime.time(15, 0),
                location=place) for a in advisers for d in range(5)])
        if len(citizens) < CITIZENS:
            users = User.objects.bulk_create([User(username=f"bench-booking-citizen-{n}", first_name="Borger",
                                                   last_name=str(n), password="!")
                                              for n in range(len(citizens), CITIZENS)])
            users = list(User.objects.filter(username__startswith="bench-booking-citizen-").order_by("id"))
            Citizen.all_tenants.bulk_create([Citizen(municipality=municipality, user=u) for u in users],
                                            ignore_conflicts=True)
            Membership.objects.bulk_create([Membership(user=u, municipality=municipality, role="citizen")
                                            for u in users], ignore_conflicts=True)
            citizens = list(Citizen.all_tenants.filter(municipality=municipality).select_related("user")
                            .order_by("id"))
            ConsultantAssignment.all_tenants.bulk_create([ConsultantAssignment(
                municipality=municipality, citizen=c, consultant=rng.choice(advisers), started_at=timezone.now(),
                reason="bench") for c in citizens[::3]])
        zone = ZoneInfo(settings.TIME_ZONE)
        today = timezone.localdate()
        rows, absences = [], []
        for offset in range(1, 15):
            day = today + datetime.timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            for adviser in advisers:
                for slot in range(24):
                    if rng.random() < 0.5:
                        start = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=zone) + datetime.timedelta(
                            minutes=15 * slot)
                        rows.append(Booking(
                            municipality=municipality, citizen=rng.choice(citizens), adviser=adviser, starts_at=start,
                            ends_at=start + datetime.timedelta(minutes=15), channel="video", purpose="plan",
                            booked_by_kind="citizen", idempotency_key=f"bench-{len(rows)}"))
            for adviser in rng.sample(advisers, 2):
                absences.append(AvailabilityException(municipality=municipality, adviser=adviser, day=day))
        Booking.all_tenants.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        AvailabilityException.all_tenants.bulk_create(absences)
    return municipality, citizens, len(rows)


def main() -> None:
    from bench.harness import own_database

    own_database("booking")
    setup()
    from django.test import Client

    municipality, citizens, booked = _data()
    analyze()
    clients = {}
    rng = random.Random(4)
    chosen = [rng.choice(citizens) for _ in range(SAMPLES)]
    prefix = f"/{municipality.slug}"
    for citizen in set(chosen):
        client = Client()
        client.force_login(citizen.user)
        # A test client builds its own middleware chain on its first request (WhiteNoise scans every
        # static file then: 80 ms here); a server process does that once, so it is not the page's cost.
        client.get(f"{prefix}/samtaler/")
        clients[citizen.pk] = client
    base_client = next(iter(clients.values()))
    base = bare_baseline(base_client, n=300)
    base_client.get(f"{prefix}/samtaler/")  # warm-up on a page that is not measured
    samples = []
    for citizen in chosen:
        channel = rng.choice(["video", "physical", "phone"])
        samples += timed_requests(clients[citizen.pk], [f"{prefix}/samtaler/book/?kanal={channel}"])
    ratio = p95(samples) / p95(base)
    emit("booking", {
        "db": database_label(), "advisers": ADVISERS, "weeks": 4, "booked_slots": booked,
        **summary(base, prefix="bare"), **summary(samples, prefix="free_slots"),
        "ratio_p95": round(ratio, 1), "goal_ratio_p95": 10, "ok": ratio <= 10,
    })


if __name__ == "__main__":
    main()
