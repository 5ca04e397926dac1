"""Staff workspace: the population overview and the query-to-push preview over 117,000 citizens.

Goal (issue 8): p95 <= 1 s each, from 300 samples per page (issue 14), through the full stack (middleware, view, access log, template).
Also reported as a ratio against the bare page measured in the same run.

Data (created once, reused): one municipality with 117,000 citizens at 40 postcodes, 70 % with a
profile seeking one of 60 occupations, 60 % with a decided track, and 5,000 active postings.
"""

from __future__ import annotations

import datetime
import random

from bench.harness import analyze, bare_baseline, database_label, emit, p95, setup, summary, timed_requests

CITIZENS = 117_000
POSTINGS = 5_000
OCCUPATIONS = 60
POSTCODES = 40
SLUG = "bench-staff"
SAMPLES = 300  # per page (issue 14)


def _data():
    from django.db import transaction
    from django.utils import timezone

    from jobunivers.accounts.models import User
    from jobunivers.citizens.models import Citizen, Profile
    from jobunivers.core.context import tenant_context
    from jobunivers.jobs.models import JobPosting
    from jobunivers.segmentation.models import Decision, Suggestion
    from jobunivers.segmentation.services import tracks_ensure_defaults
    from jobunivers.taxonomy.models import Occupation, Postcode
    from jobunivers.tenancy.models import Municipality
    from jobunivers.tenancy.services import membership_grant
    from jobunivers.tenancy.tests.factories import MunicipalityFactory

    municipality = Municipality.objects.filter(slug=SLUG).first() or MunicipalityFactory(
        code="9001", name="Benchkommune", slug=SLUG, latitude=56.15, longitude=10.2)
    assistant, _ = User.objects.get_or_create(username="bench-staff-assistant")
    membership_grant(user=assistant, role="job_journey_assistant", municipality=municipality)
    if Citizen.all_tenants.filter(municipality=municipality).count() >= CITIZENS:
        return municipality, assistant
    rng = random.Random(8)
    now = timezone.now()
    today = timezone.localdate()
    postcodes = []
    for index in range(POSTCODES):
        postcode, _ = Postcode.objects.get_or_create(code=f"9{index:03d}", defaults={
            "name": f"Benchby {index}", "latitude": 56.0 + index * 0.01, "longitude": 10.0 + index * 0.01,
            "municipality_code": municipality.code})
        postcodes.append(postcode)
    occupations = []
    for index in range(OCCUPATIONS):
        occupation, _ = Occupation.objects.get_or_create(
            uri=f"http://bench.example/occupation/{index}",
            defaults={"preferred_label": f"Benchstilling {index}", "isco_code": f"{7000 + index}"})
        occupations.append(occupation)
    with transaction.atomic():
        JobPosting.objects.bulk_create([JobPosting(
            source="bench-staff", external_id=str(i), title=f"Job {i}", employer_name="Bench A/S",
            occupation=occupations[i % OCCUPATIONS], isco_code=occupations[i % OCCUPATIONS].isco_code,
            postcode=postcodes[i % POSTCODES].code, city="Benchby", municipality_code=municipality.code,
            latitude=56.1, longitude=10.1, published_at=now, changed_at=now) for i in range(POSTINGS)],
            batch_size=2000, ignore_conflicts=True)
    tracks = tracks_ensure_defaults(municipality_id=municipality.pk)
    batch = 5000
    for start in range(0, CITIZENS, batch):
        with transaction.atomic(), tenant_context(municipality):
            users = [User(username=f"bench-staff-{n}", first_name="Bench", last_name=str(n), password="!")
                     for n in range(start, min(start + batch, CITIZENS))]
            User.objects.bulk_create(users, batch_size=2000)
            users = list(User.objects.filter(username__in=[u.username for u in users]).order_by("id"))
            citizens = Citizen.objects.bulk_create([Citizen(
                municipality=municipality, user=u, postcode=rng.choice(postcodes),
                registered_on=today - datetime.timedelta(days=rng.randint(0, 500))) for u in users], batch_size=2000)
            citizens = list(Citizen.objects.filter(user__in=users).order_by("id"))
            with_profile = [c for c in citizens if rng.random() < 0.7]
            Profile.objects.bulk_create([Profile(municipality=municipality, citizen=c, radius_km=30)
                                         for c in with_profile], batch_size=2000)
            profiles = list(Profile.objects.filter(citizen__in=with_profile).values_list("id", flat=True))
            through = Profile.occupations.through
            through.objects.bulk_create([through(profile_id=p, occupation_id=rng.choice(occupations).pk)
                                         for p in profiles], batch_size=2000)
            decided = [c for c in citizens if rng.random() < 0.6]
            suggestions = Suggestion.objects.bulk_create([Suggestion(
                municipality=municipality, citizen=c, track=rng.choice(tracks), status="decided")
                for c in decided], batch_size=2000)
            suggestions = list(Suggestion.objects.filter(citizen__in=decided).order_by("id"))
            Decision.objects.bulk_create([Decision(
                municipality=municipality, suggestion=s, citizen_id=s.citizen_id, track_id=s.track_id, changed=False,
                decided_by=assistant) for s in suggestions], batch_size=2000)
    return municipality, assistant


def main() -> None:
    from bench.harness import own_database, staff_client

    # Its own database: 117,000 citizens (and 5,000 postings) are created once and reused.
    own_database("staff")
    setup()

    from jobunivers.taxonomy.models import Occupation

    municipality, assistant = _data()
    analyze()
    client = staff_client(assistant)
    base = bare_baseline(client, n=200)
    prefix = f"/{municipality.slug}"
    # Warm-up on a staff page that is not measured (the process, templates, the session), then 300 each.
    overview = timed_requests(client, [f"{prefix}/medarbejder/population/"] * SAMPLES,
                              warmup_paths=[f"{prefix}/medarbejder/dagens-samtaler/"] * 3)
    occupation_ids = list(Occupation.objects.filter(uri__startswith="http://bench.example/").values_list("id", flat=True))
    rng = random.Random(3)
    queries = [f"{prefix}/medarbejder/find-borgere/?occupation_id={rng.choice(occupation_ids)}"
               f"&postcode_prefix=90&min_weeks={rng.choice([0, 4, 13])}&cap=500" for _ in range(SAMPLES)]
    preview = timed_requests(client, queries)
    emit("staff", {
        "db": database_label(), "citizens": CITIZENS, **summary(base, prefix="bare"),
        **summary(overview, prefix="overview"), **summary(preview, prefix="preview"),
        "overview_ratio_p95": round(p95(overview) / p95(base), 1),
        "preview_ratio_p95": round(p95(preview) / p95(base), 1),
        "goal_p95_ms": 1000,
        "overview_ok": p95(overview) <= 1.0, "preview_ok": p95(preview) <= 1.0,
    })


if __name__ == "__main__":
    main()
