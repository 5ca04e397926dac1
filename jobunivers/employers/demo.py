"""Demo data: link the demo postings to their employer organisations (every run, idempotent), and a
posting history for the demo citizens on the sign-in page (once), so that their "Virksomheder der kan
ansætte" list and their market page show something real instead of empty states.

The synthetic demo postings are all from the last month and in occupations chosen at random, while the
demo citizens seek other occupations at random; the hidden job market needs two years of history in the
citizen's own occupation near their home. For each persona citizen with an occupation and a postcode,
eight employers get 60 postings in their first occupation within a few kilometres of home over 24 months,
six of them still open, through the jobs import like any posting (about 700 a municipality).
"""

import datetime

from django.utils import timezone

from jobunivers.core.demo import register

PERSONA_CITIZENS = 12  # as many as the demo sign-in page shows (accounts.views.demo_personas_view)
HISTORY_EMPLOYERS = ("Østjysk Service A/S", "Kattegat Gruppen", "Nordlys ApS", "Bysted & Co.", "Marselis Partner",
                     "Fjordens Drift A/S", "Lindholm Teknik", "Havnens Hus ApS")
# (postings over 24 months, of which open now), for eight employers: 60 postings, 6 open, more of them lately,
# so the market page's recent months and open jobs reach 5 (smaller numbers are shown as "færre end 5")
HISTORY_PATTERN = ((16, 2), (12, 2), (10, 1), (8, 1), (6, 0), (4, 0), (3, 0), (1, 0))
HISTORY_SOURCE = "demo-history"


@register("employer_organisations", order=55, every_run=True)
def load(*, rng, stdout):
    from .services import organisations_index_missing

    linked = organisations_index_missing()
    if linked:
        stdout.write(f"  linked {linked} postings to their employers\n")


def _records(*, rng, municipality, citizen_id: int, occupation, latitude: float, longitude: float, postcode: str,
             offset: int, now):
    from jobunivers.jobs.services import FeedRecord

    label = occupation.preferred_label_da or occupation.preferred_label
    today = timezone.localdate()
    for rank, (total, open_now) in enumerate(HISTORY_PATTERN):
        employer = HISTORY_EMPLOYERS[(offset + rank) % len(HISTORY_EMPLOYERS)]
        for number in range(total):
            is_open = number < open_now
            age = rng.randint(1, 25) if is_open else round(rng.triangular(30, 715, 30))  # more lately
            published = now - datetime.timedelta(days=age, minutes=rng.randint(0, 1440))
            deadline = (today + datetime.timedelta(days=rng.randint(10, 40)) if is_open
                        else (published + datetime.timedelta(days=21)).date())
            yield FeedRecord(
                position=f"demo history {citizen_id}-{rank}-{number}",
                external_id=f"{municipality.code}-{occupation.pk}-{rank}-{number}", title=label[:1].upper() + label[1:],
                employer_name=employer, description=f"{employer} søger en {label}.", occupation_uri=occupation.uri,
                isco_code=occupation.isco_code, postcode=postcode, city=municipality.name,
                municipality_code=municipality.code, country="DK",
                latitude=latitude + rng.uniform(-0.03, 0.03), longitude=longitude + rng.uniform(-0.04, 0.04),
                hours="full_time", employment_type="permanent", application_deadline=deadline,
                published_at=published, changed_at=published, status="active" if is_open else "expired",
                is_synthetic=True)


@register("hidden_job_market", order=97)
def load_history(*, rng, stdout):
    from jobunivers.accounts.selectors import demo_personas
    from jobunivers.citizens import selectors as citizens
    from jobunivers.core.context import tenant_context
    from jobunivers.jobs.services import postings_import
    from jobunivers.taxonomy.selectors import get_occupation
    from jobunivers.tenancy.roles import Role
    from jobunivers.tenancy.selectors import active_municipalities

    from .services import organisations_index_missing

    now = timezone.now()
    records, seen = [], set()
    for municipality in active_municipalities().filter(is_demo=True):
        personas = [m for m in demo_personas(municipality_id=municipality.pk, citizens=PERSONA_CITIZENS + 1)
                    if m.role == Role.CITIZEN]
        with tenant_context(municipality):
            for offset, membership in enumerate(personas):
                citizen = citizens.citizen_for_user(user=membership.user)
                profile = citizens.profile_for(citizen_id=citizen.pk) if citizen is not None else None
                if profile is None or not profile.occupations or profile.latitude is None:
                    continue
                occupation = get_occupation(occupation_id=profile.occupations[0].occupation_id)
                if occupation is None or (municipality.code, occupation.pk) in seen:
                    continue
                seen.add((municipality.code, occupation.pk))
                records.extend(_records(rng=rng, municipality=municipality, citizen_id=citizen.pk,
                                        occupation=occupation, latitude=profile.latitude,
                                        longitude=profile.longitude, postcode=profile.home_postcode,
                                        offset=offset, now=now))
    report = postings_import(source=HISTORY_SOURCE, items=records, embed=False)
    linked = organisations_index_missing()
    stdout.write(f"  hidden job market: {report.summary()}; {linked} postings linked to their employers\n")
