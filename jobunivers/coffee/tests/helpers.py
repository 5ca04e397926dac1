"""Test data for coffee meetings: an employer organisation with a person acting for it, the carpenter
occupation, Aarhus and København postcodes, and citizens who seek carpentry and chose to be seen."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from jobunivers.accounts.tests.factories import UserFactory
from jobunivers.citizens.models import Profile, WorkExperience
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.jobs.services import employer_link
from jobunivers.taxonomy.tests.factories import OccupationFactory, PostcodeFactory, SkillFactory
from jobunivers.tenancy.roles import Role
from jobunivers.tenancy.services import membership_grant

_numbers = itertools.count(500)


def _cvr() -> str:
    from jobunivers.jobs.demo import demo_cvr

    return demo_cvr(next(_numbers))


def employer(name: str = "Byggesen Tømrer ApS", cvr: str | None = None):
    """A user acting for an employer organisation; returns (user, membership)."""
    user = UserFactory(first_name="Bente", last_name="Byggesen", email="bente@example.dk")
    membership = membership_grant(user=user, role=Role.EMPLOYER, municipality=None)
    employer_link(membership=membership, name=name, cvr=cvr or _cvr())
    membership.refresh_from_db()
    return user, membership


def carpenter():
    return OccupationFactory(uri="http://data.europa.eu/esco/occupation/carpenter", preferred_label="carpenter",
                             preferred_label_da="tømrer", isco_code="7115")


def cook():
    return OccupationFactory(uri="http://data.europa.eu/esco/occupation/cook", preferred_label="cook",
                             preferred_label_da="kok", isco_code="5120")


def place(code: str = "8000"):
    known = {"8000": ("Aarhus C", 56.1528, 10.2036, "0751"), "1050": ("København K", 55.6803, 12.5868, "0101")}
    name, lat, lon, municipality_code = known[code]
    return PostcodeFactory(code=code, name=name, latitude=lat, longitude=lon, municipality_code=municipality_code)


def seeker(municipality, occupation, *, first_name="Sara", last_name="Jensen", postcode="8000", summary="",
           skills=(), experience=True):
    """A citizen with a profile seeking `occupation`, a skill, a job behind them and a summary."""
    citizen = CitizenFactory(municipality=municipality, user=UserFactory(first_name=first_name, last_name=last_name),
                             postcode=place(postcode))
    skill_objects = [SkillFactory(uri=f"http://data.europa.eu/esco/skill/{label}", preferred_label=label,
                                  preferred_label_da=label) for label in skills]
    profile = Profile.all_tenants.create(municipality=municipality, citizen=citizen, summary=summary,
                                         skill_uris=[s.uri for s in skill_objects], radius_km=40)
    profile.occupations.add(occupation)
    if experience:
        WorkExperience.all_tenants.create(municipality=municipality, citizen=citizen, employer="Byg & Co",
                                          title="Tømrerlærling", started_on=datetime.date(2019, 8, 1),
                                          ended_on=datetime.date(2024, 6, 30))
    return citizen


def invitation_data(sought, **changes) -> dict:
    start = timezone.localdate() + datetime.timedelta(days=1)
    while start.weekday() >= 5:
        start += datetime.timedelta(days=1)
    data = {"title": "Tømrer til renovering", "occupation": str(sought.pk),
            "needs": "Erfaring med renovering af etageboliger.", "place": "Værkstedsvej 4, Aarhus",
            "postcode": "8000", "video_link": "", "first_day": start, "last_day": start + datetime.timedelta(days=7),
            "day_starts": datetime.time(9, 0), "day_ends": datetime.time(12, 0), "meeting_minutes": 30, "meetings": 3}
    data.update(changes)
    return data
