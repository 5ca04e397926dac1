"""A small labour market for matching tests: Aarhus and København, carpenters, bricklayers, nurses."""

import datetime
import itertools

from django.utils import timezone

from jobunivers.citizens.tests.factories import CitizenFactory

_numbers = itertools.count(1)


def postcode(code="8000", name="Aarhus C", lat=56.1567, lon=10.2108, municipality_code="0751"):
    from jobunivers.taxonomy.models import Postcode

    return Postcode.objects.get_or_create(code=code, defaults={"name": name, "latitude": lat, "longitude": lon,
                                                                "municipality_code": municipality_code})[0]


def occupation(label, isco_code, *, english=None):
    """An occupation named `label`; with `english`, that is ESCO's label and `label` the Danish one."""
    from jobunivers.taxonomy.models import Occupation

    return Occupation.objects.create(uri=f"http://data.europa.eu/esco/occupation/m-{next(_numbers)}",
                                     preferred_label=english or label, preferred_label_da=label if english else "",
                                     isco_code=isco_code,
                                     search_labels="\n".join(dict.fromkeys([label.lower(), (english or label).lower()])))


def skill(label):
    from jobunivers.taxonomy.models import Skill

    return Skill.objects.create(uri=f"http://data.europa.eu/esco/skill/m-{next(_numbers)}", preferred_label=label,
                                search_labels=label.lower())


def posting(title, occ=None, *, lat=56.1567, lon=10.2108, days_old=1, deadline_days=None, hours="full_time",
            employment_type="permanent", skills=(), **kwargs):
    from jobunivers.jobs.models import JobPosting, PostingSkill

    published = timezone.now() - datetime.timedelta(days=days_old)
    deadline = timezone.localdate() + datetime.timedelta(days=deadline_days) if deadline_days is not None else None
    job = JobPosting.objects.create(
        source="test", external_id=f"m-{next(_numbers)}", title=title, employer_name=kwargs.pop("employer", "Byg A/S"),
        occupation=occ, isco_code=occ.isco_code if occ else "", latitude=lat, longitude=lon, city="Aarhus",
        postcode="8000", hours=hours, employment_type=employment_type, application_deadline=deadline,
        published_at=published, changed_at=published, **kwargs)
    for required, importance in skills:
        PostingSkill.objects.create(posting=job, skill=required, importance=importance)
    return job


def citizen_seeking(municipality, occupations, *, skills=(), radius_km=30, hours_per_week=37, code="8000"):
    from jobunivers.citizens.models import Profile

    citizen = CitizenFactory(municipality=municipality, postcode=postcode(code))
    profile = Profile.all_tenants.create(municipality=municipality, citizen=citizen, radius_km=radius_km,
                                         hours_per_week=hours_per_week, skill_uris=[s.uri for s in skills],
                                         employment_types=["permanent"])
    profile.occupations.add(*occupations)
    return citizen
