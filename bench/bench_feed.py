"""feed: top 20 "Job til dig" through the full request stack, against the bare page (issues 5 and 14).

A panel of 1,000 distinct citizens (fixed seed) with varied profiles (a third with their own words,
radius 5-100 km, hours and employment wishes), half of them consenting to personalisation and those
with 2-12 interactions each. Cold: each citizen's first feed after a profile change; warm: the same
citizens again in another order. Warm-up on 20 other citizens; the bare page in the same run.
Goals: personalised warm p95 <= 10 x bare p95 (issue 14); all warm p95 <= 15 x bare p95 (issue 5).

Data (synthetic, made once and reused): 50,000 active postings and 117,000 citizens with profiles
in 5 municipalities, 300 occupations in 60 ISCO-08 unit groups, postcodes across Denmark.
Own database: var/bench/matching.sqlite3, or <bench database>_matching on PostgreSQL.
Goal: p95 within 15 x the bare page's p95 measured in the same run.
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    analyze,
    bare_baseline,
    database_label,
    emit,
    load_average,
    own_database,
    p95,
    setup,
    summary,
    timed_requests,
)

POSTINGS = int(os.environ.get("BENCH_POSTINGS", "50000"))
CITIZENS = int(os.environ.get("BENCH_CITIZENS", "117000"))
PANEL = 1000
WARMUP = 20
MUNICIPALITIES = [("0751", "Aarhus", "bench-aarhus", 56.16, 10.2), ("0101", "København", "bench-koebenhavn", 55.68, 12.57),
                  ("0851", "Aalborg", "bench-aalborg", 57.05, 9.92), ("0461", "Odense", "bench-odense", 55.4, 10.39),
                  ("0561", "Esbjerg", "bench-esbjerg", 55.47, 8.45)]
TRADES = ["Tømrer", "Murer", "Elektriker", "Sygeplejerske", "Lagermedarbejder", "Kok", "Chauffør", "Pædagog",
          "Rengøringsassistent", "Butiksmedarbejder", "Softwareudvikler", "Bogholder", "Smed", "Maler", "Frisør",
          "Social- og sundhedshjælper", "Tjener", "Mekaniker", "Gartner", "Receptionist"]


def use_own_database() -> None:
    """The matching data set (also the fan-out's) in its own database, so the feed sees its own
    50,000 postings and not job_search's as well."""
    own_database("matching")


def ensure_data(rng: random.Random | None = None, *, stdout=sys.stderr) -> dict:
    """Create the synthetic data set once (everything marked synthetic/demo); return facts about it."""
    from django.db import transaction
    from django.utils import timezone

    from jobunivers.accounts.models import User
    from jobunivers.citizens.models import Citizen, Profile
    from jobunivers.jobs.models import JobPosting
    from jobunivers.taxonomy.models import Occupation, Postcode
    from jobunivers.tenancy.models import Membership, Municipality, MunicipalitySettings
    from jobunivers.tenancy.roles import Role

    rng = rng or random.Random(6)
    started = time.perf_counter()
    with transaction.atomic():
        for code, name, slug, lat, lon in MUNICIPALITIES:
            municipality, _ = Municipality.objects.get_or_create(code=code, defaults={
                "name": name, "slug": slug, "latitude": lat, "longitude": lon, "is_active": True})
            MunicipalitySettings.objects.get_or_create(municipality=municipality)
        if not Occupation.objects.filter(uri__startswith="bench:").exists():
            Occupation.objects.bulk_create([
                Occupation(uri=f"bench:occupation:{group}:{n}", isco_code=f"{7100 + group * 7 % 2900:04d}",
                           preferred_label=f"{TRADES[group % len(TRADES)]} {n + 1}", is_local=True,
                           search_labels=TRADES[group % len(TRADES)].lower())
                for group in range(60) for n in range(5)])
        if not Postcode.objects.filter(code__startswith="9").filter(name__startswith="Bench").exists():
            rows = []
            for index, (code, _name, _slug, lat, lon) in enumerate(MUNICIPALITIES):
                for n in range(20):
                    rows.append(Postcode(code=f"9{index}{n:02d}", name=f"Bench {code}-{n}", municipality_code=code,
                                         latitude=lat + rng.uniform(-0.25, 0.25), longitude=lon + rng.uniform(-0.35, 0.35)))
            Postcode.objects.bulk_create(rows, ignore_conflicts=True)
    occupations = list(Occupation.objects.filter(uri__startswith="bench:").values_list("id", "isco_code", "preferred_label"))
    postcodes = list(Postcode.objects.filter(name__startswith="Bench").values_list("id", "code", "municipality_code",
                                                                                   "latitude", "longitude"))
    municipalities = dict(Municipality.objects.filter(slug__startswith="bench-").values_list("code", "id"))
    have_postings = JobPosting.objects.filter(source="bench").count()
    if have_postings < POSTINGS:
        now = timezone.now()
        batch = []
        for n in range(have_postings, POSTINGS):
            occupation = occupations[rng.randrange(len(occupations))]
            place = postcodes[rng.randrange(len(postcodes))]
            published = now - datetime.timedelta(days=rng.uniform(0, 45))
            batch.append(JobPosting(
                source="bench", external_id=f"bench-{n}", title=f"{occupation[2].rsplit(' ', 1)[0]} søges",
                employer_name=f"Virksomhed {n % 5000}", occupation_id=occupation[0], isco_code=occupation[1],
                postcode=place[1], city="Bench", municipality_code=place[2], latitude=place[3] + rng.uniform(-0.05, 0.05),
                longitude=place[4] + rng.uniform(-0.05, 0.05), hours=rng.choice(["full_time", "part_time", ""]),
                employment_type=rng.choice(["permanent", "temporary", ""]), published_at=published,
                changed_at=published, is_synthetic=True,
                application_deadline=(now + datetime.timedelta(days=rng.randint(3, 40))).date()))
            if len(batch) >= 5000:
                JobPosting.objects.bulk_create(batch)
                batch = []
        JobPosting.objects.bulk_create(batch)
        print(f"# {POSTINGS} postings ready", file=stdout)
    have_citizens = Citizen.all_tenants.filter(is_demo=True, user__username__startswith="bench-").count()
    if have_citizens < CITIZENS:
        for start in range(have_citizens, CITIZENS, 5000):
            numbers = range(start, min(CITIZENS, start + 5000))
            with transaction.atomic():
                users = [User(username=f"bench-{n}", first_name="Bench", last_name=str(n), is_demo=True,
                              email=f"bench-{n}@example.invalid", password="!") for n in numbers]
                User.objects.bulk_create(users, ignore_conflicts=True)
                saved = dict(User.objects.filter(username__in=[u.username for u in users]).values_list("username", "id"))
                citizens, places = [], {}
                for n in numbers:
                    place = postcodes[rng.randrange(len(postcodes))]
                    places[n] = place
                    citizens.append(Citizen(municipality_id=municipalities[place[2]], user_id=saved[f"bench-{n}"],
                                            postcode_id=place[0], is_demo=True))
                Citizen.all_tenants.bulk_create(citizens, ignore_conflicts=True)
                by_user = dict(Citizen.all_tenants.filter(user_id__in=saved.values()).values_list("user_id", "id"))
                Membership.objects.bulk_create([
                    Membership(user_id=saved[f"bench-{n}"], municipality_id=municipalities[places[n][2]], role=Role.CITIZEN)
                    for n in numbers], ignore_conflicts=True)
                Profile.all_tenants.bulk_create([
                    Profile(municipality_id=municipalities[places[n][2]], citizen_id=by_user[saved[f"bench-{n}"]],
                            radius_km=rng.choice([10, 20, 30, 50]), hours_per_week=rng.choice([None, 20, 37]),
                            employment_types=rng.choice([[], ["permanent"], ["temporary"]]))
                    for n in numbers], ignore_conflicts=True)
                profiles = dict(Profile.all_tenants.filter(citizen_id__in=by_user.values()).values_list("citizen_id", "id"))
                through = Profile.occupations.through
                links = []
                for profile_id in profiles.values():
                    for occupation in rng.sample(occupations, rng.choice([1, 1, 2, 3])):
                        links.append(through(profile_id=profile_id, occupation_id=occupation[0]))
                through.objects.bulk_create(links, ignore_conflicts=True)
        print(f"# {CITIZENS} citizens ready", file=stdout)
    return {"postings": JobPosting.objects.filter(source="bench", status="active").count(),
            "citizens": Profile.all_tenants.count(), "data_seconds": round(time.perf_counter() - started, 1)}


def ensure_vectors() -> float:
    from jobunivers.matching.tasks import refresh_posting_vectors

    started = time.perf_counter()
    refresh_posting_vectors()
    return round(time.perf_counter() - started, 1)


def _prepare_panel(rng: random.Random) -> tuple[list[tuple[int, int, str, bool]], list[tuple[int, int, str]]]:
    """PANEL citizens (fixed seed) with varied profiles, half consenting to personalisation and those
    with some behaviour (opened, saved, dismissed postings); plus WARMUP other citizens for the warm-up.
    Returns [(user id, citizen id, municipality slug, consents)] and the warm-up's [(user, citizen, slug)]."""
    from django.db import transaction
    from django.utils import timezone

    from jobunivers.audit.models import Consent
    from jobunivers.citizens.models import Citizen, Profile
    from jobunivers.jobs.models import JobPosting
    from jobunivers.matching.models import Interaction

    rows = list(
        Citizen.all_tenants.filter(user__username__startswith="bench-")
        .order_by("id")
        .values_list("user_id", "id", "municipality__slug")
    )
    chosen = rng.sample(rows, PANEL + WARMUP)
    panel, warmup = chosen[:PANEL], chosen[PANEL:]
    consenting = {row[0] for row in rng.sample(panel, PANEL // 2)}
    words = [
        "truckcertifikat",
        "kundeservice",
        "ledelse",
        "excel",
        "nattevagt",
        "sprog: engelsk",
        "weekend",
        "projektstyring",
        "rengøring af kontorer",
        "elinstallation",
        "børn og unge",
        "regnskab",
    ]
    postings = list(
        JobPosting.objects.filter(source="bench", status="active").values_list("id", flat=True)[:20000]
    )
    with transaction.atomic():
        Consent.objects.filter(user_id__in=[r[0] for r in panel], purpose="personalisation").delete()
        Consent.objects.bulk_create(
            [Consent(user_id=u, purpose="personalisation", given=True) for u in consenting]
        )
        Interaction.all_tenants.filter(citizen_id__in=[r[1] for r in panel]).delete()
        municipality_of = dict(
            Citizen.all_tenants.filter(id__in=[r[1] for r in panel]).values_list("id", "municipality_id")
        )
        now = timezone.now()
        interactions = []
        for user_id, citizen_id, _slug in panel:
            if user_id in consenting:
                for _ in range(rng.randint(2, 12)):
                    interactions.append(
                        Interaction(
                            municipality_id=municipality_of[citizen_id],
                            citizen_id=citizen_id,
                            posting_id=rng.choice(postings),
                            kind=rng.choice(["click", "click", "save", "dismiss"]),
                            created_at=now,
                        )
                    )
        Interaction.all_tenants.bulk_create(interactions)
        # Varied profiles: a third write their own words (embedded as text), the rest seek occupations only.
        for _user_id, citizen_id, _slug in panel:
            text = rng.random() < 0.33
            Profile.all_tenants.filter(citizen_id=citizen_id).update(
                keywords=", ".join(rng.sample(words, 2)) if text else "",
                radius_km=rng.choice([5, 10, 20, 30, 50, 100]),
                hours_per_week=rng.choice([None, 15, 25, 37]),
                employment_types=rng.choice([[], ["permanent"], ["temporary"], ["permanent", "temporary"]]),
            )
    return [(u, c, slug, u in consenting) for u, c, slug in panel], warmup


def main() -> None:
    use_own_database()
    setup()
    from django.test import Client
    from django.utils import timezone

    from jobunivers.accounts.models import User
    from jobunivers.citizens.models import Profile

    facts = ensure_data()
    analyze()
    facts["vectors_seconds"] = ensure_vectors()
    rng = random.Random(20)
    panel, warmup = _prepare_panel(rng)
    analyze()
    client = Client()
    for user_id, _citizen_id, slug in warmup:  # warm the process on citizens who are not measured
        client.force_login(User.objects.get(pk=user_id))
        client.get(f"/{slug}/job-til-dig/")
    base = bare_baseline(client, n=300)
    load_before = load_average()
    cold: dict[bool, list[float]] = {True: [], False: []}
    warm: dict[bool, list[float]] = {True: [], False: []}
    path_of = {user_id: f"/{slug}/job-til-dig/" for user_id, _c, slug, _p in panel}
    users = {u.pk: u for u in User.objects.filter(pk__in=list(path_of))}
    for user_id, citizen_id, _slug, consents in panel:
        # Cold: the first feed after a profile change (as a save in the profile form does).
        Profile.all_tenants.filter(citizen_id=citizen_id).update(
            updated_at=timezone.now(), radius_km=rng.choice([10, 20, 30, 50])
        )
        client.force_login(users[user_id])
        cold[consents] += timed_requests(client, [path_of[user_id]])
    order = panel[:]
    rng.shuffle(order)
    for user_id, _citizen_id, _slug, consents in order:  # warm: the same citizens again, in another order
        client.force_login(users[user_id])
        warm[consents] += timed_requests(client, [path_of[user_id]])
    base_after = bare_baseline(client, n=300)
    all_warm = warm[True] + warm[False]
    emit(
        "feed",
        {
            "db": database_label(),
            **facts,
            "panel_citizens": len(panel),
            "panel_consenting": sum(1 for row in panel if row[3]),
            **summary(base, prefix="bare"),
            **summary(warm[True], prefix="warm_personalised"),
            **summary(warm[False], prefix="warm_plain"),
            **summary(cold[True], prefix="cold_personalised"),
            **summary(cold[False], prefix="cold_plain"),
            **summary(all_warm, prefix="feed"),
            **summary(base_after, prefix="bare_after"),
            "warm_personalised_ratio_p95": round(p95(warm[True]) / p95(base), 2),
            "goal_warm_personalised_ratio_p95": 10,
            "cold_personalised_ratio_p95": round(p95(cold[True]) / p95(base), 2),
            "ratio_p95": round(p95(all_warm) / p95(base), 2),
            "goal_ratio_p95": 15,
            "load_average_before": load_before,
        },
    )


if __name__ == "__main__":
    main()
