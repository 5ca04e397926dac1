"""The journey engine (issue 19, "Speed and quality"): advance 117,000 citizens one step. Goal: <= 120 s on
both databases.

Data (created once, reused; its own database "journeys"): one municipality with 117,000 citizens (the
national number of registered unemployed in one place), every one on the same follow-up track. Each run
publishes a new journey for that track (two steps, a two-arm experiment with a 10 % holdout on step 1), enrols
everyone (timed apart: it happens once per citizen and journey), and then times `engine.advance` sending step 1
to everyone due: one StepRun row and one notice (inbox row and outbox deliveries) per citizen, in batches of
1,000, each batch one transaction. Earlier runs' journeys are stopped and their notices removed first, so the
weekly cap never holds a citizen back and every run does the same work.

BENCH_JOURNEYS_SCALE (default 1) scales the citizens down for a quick check, e.g. 0.01 (its own slug).
"""

from __future__ import annotations

import os
import time

from bench.harness import analyze, database_label, emit, setup

SCALE = float(os.environ.get("BENCH_JOURNEYS_SCALE", "1"))
CITIZENS = max(200, int(117_000 * SCALE))
SLUG = "bench-journeys" if SCALE == 1 else f"bench-journeys-{str(SCALE).replace('.', '-')}"
CODE = "9219" if SCALE == 1 else f"92{int(SCALE * 100) % 100:02d}"
GOAL_SECONDS = 120.0
BATCH = 5000


def _data():
    from django.db import transaction
    from django.utils import timezone

    from jobunivers.accounts.models import User
    from jobunivers.citizens.models import Citizen
    from jobunivers.segmentation.models import Decision, Suggestion, Track
    from jobunivers.segmentation.services import tracks_ensure_defaults
    from jobunivers.tenancy.models import Membership, Municipality
    from jobunivers.tenancy.tests.factories import MunicipalityFactory

    municipality = (Municipality.objects.filter(slug=SLUG).first()
                    or MunicipalityFactory(code=CODE, name="Forløbskommune", slug=SLUG))
    tracks_ensure_defaults(municipality_id=municipality.pk)
    track = Track.all_tenants.filter(municipality=municipality).order_by("support_level").first()
    have = Citizen.all_tenants.filter(municipality=municipality).count()
    decider, _ = User.objects.get_or_create(username=f"{SLUG}-decider", defaults={"password": "!"})
    for start in range(have, CITIZENS, BATCH):
        with transaction.atomic():
            users = [User(username=f"{SLUG}-{n}", first_name="Forløb", last_name=str(n), password="!",
                          email=f"{SLUG}-{n}@example.dk" if n % 2 else "")
                     for n in range(start, min(start + BATCH, CITIZENS))]
            User.objects.bulk_create(users, batch_size=2000)
            users = list(User.objects.filter(username__in=[u.username for u in users]).order_by("id"))
            Membership.objects.bulk_create([Membership(user=u, municipality=municipality, role="citizen")
                                            for u in users], batch_size=2000)
            citizens = Citizen.all_tenants.bulk_create([
                Citizen(municipality=municipality, user=u, onboarding_completed_at=timezone.now(),
                        registered_on=timezone.localdate()) for u in users], batch_size=2000)
            ids = list(Citizen.all_tenants.filter(user__in=users).values_list("id", flat=True)) if not all(
                c.pk for c in citizens) else [c.pk for c in citizens]
            suggestions = Suggestion.all_tenants.bulk_create([
                Suggestion(municipality=municipality, citizen_id=c, track=track, status="decided") for c in ids],
                batch_size=2000)
            Decision.all_tenants.bulk_create([
                Decision(municipality=municipality, suggestion=s, citizen_id=s.citizen_id, track=track, changed=False,
                         decided_by=decider) for s in suggestions], batch_size=2000)
    admin, created = User.objects.get_or_create(username=f"{SLUG}-admin", defaults={"password": "!"})
    if created:
        from jobunivers.tenancy.services import membership_grant

        membership_grant(user=admin, role="municipality_admin", municipality=municipality)
    return municipality, track, admin


def _fresh_journey(municipality, track, admin, run: int):
    from jobunivers.journeys import services
    from jobunivers.journeys.models import Enrolment, Journey, JourneyVersion
    from jobunivers.notifications.models import Notification

    # Earlier runs: their journeys stop enrolling, their enrolments end, their notices go (outside the timing).
    Journey.all_tenants.filter(municipality=municipality).update(is_active=False)
    Enrolment.all_tenants.filter(municipality=municipality, state="active").update(state="completed",
                                                                                    next_due_at=None)
    Notification.all_tenants.filter(municipality=municipality, kind="journey").delete()
    journey = services.journey_create(actor=admin, municipality_id=municipality.pk, name=f"Bench-forløb {run}",
                                      why="Benchmark", track_key=track.key)
    version = JourneyVersion.all_tenants.get(journey=journey)
    for title, wait in (("Velkommen", 0), ("Tjekliste", 3)):
        services.step_save(actor=admin, version=version, data={"kind": "message", "title": title, "body": "Tekst",
                                                               "wait_days": wait, "condition": "none"})
    services.experiment_save(actor=admin, version=version, key=f"{SLUG}-{run}", name="Bench", step_position=1,
                             holdout_percent=10, variants=[
                                 {"key": "a", "name": "A", "weight": 50, "title": "Velkommen A"},
                                 {"key": "b", "name": "B", "weight": 50, "title": "Velkommen B"}])
    services.version_publish(actor=admin, version=version)
    return journey


def main() -> None:
    from bench.harness import own_database

    own_database("journeys")
    setup()
    from django.utils import timezone

    from jobunivers.journeys import engine
    from jobunivers.journeys.models import Journey, StepRun
    from jobunivers.notifications.models import Notification

    municipality, track, admin = _data()
    run = Journey.all_tenants.filter(municipality=municipality).count() + 1
    journey = _fresh_journey(municipality, track, admin, run)
    analyze()
    now = timezone.now()
    started = time.perf_counter()
    enrolled = engine.enrol(municipality_id=municipality.pk, now=now)
    enrol_seconds = time.perf_counter() - started
    analyze()
    from django.urls import reverse

    reverse("journeys:mine")  # a worker's URL resolver is loaded once per process, not per run: load it first
    started = time.perf_counter()
    advanced = engine.advance(municipality_id=municipality.pk, now=now)
    advance_seconds = time.perf_counter() - started
    sent = StepRun.all_tenants.filter(enrolment__journey=journey, state="sent").count()
    notices = Notification.all_tenants.filter(municipality=municipality, kind="journey").count()
    if sent != notices or advanced != sent:
        raise AssertionError(f"advanced {advanced}, step runs {sent}, notices {notices}: not one notice each")
    emit("journeys", {
        "db": database_label(), "scale": SCALE, "citizens": CITIZENS, "enrolled": enrolled, "advanced": advanced,
        "enrol_s": round(enrol_seconds, 1), "advance_s": round(advance_seconds, 1),
        "advance_per_1000_s": round(1000 * advance_seconds / max(advanced, 1), 2),
        "goal_s": GOAL_SECONDS, "met": advance_seconds <= GOAL_SECONDS,
    })


if __name__ == "__main__":
    main()
