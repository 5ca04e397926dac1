"""Test data for internships: an employer organisation with a person acting for it, the carpenter occupation, the
Aarhus and København postcodes, citizens who seek carpentry, and a place's data a week or more ahead (so a test
that crosses midnight still has a future first day)."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from jobunivers.accounts.tests.factories import UserFactory
from jobunivers.citizens.models import Profile, WorkExperience
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.jobs.services import employer_link
from jobunivers.taxonomy.models import Occupation, Postcode
from jobunivers.taxonomy.tests.factories import OccupationFactory, PostcodeFactory
from jobunivers.tenancy.roles import Role
from jobunivers.tenancy.services import membership_grant

_numbers = itertools.count(700)


def employer(name: str = "Byggesen Tømrer ApS", first_name: str = "Bente"):
    """A user acting for an employer organisation; returns (user, membership)."""
    from jobunivers.jobs.demo import demo_cvr

    user = UserFactory(first_name=first_name, last_name="Byggesen", email=f"{first_name.lower()}@example.dk")
    membership = membership_grant(user=user, role=Role.EMPLOYER, municipality=None)
    employer_link(membership=membership, name=name, cvr=demo_cvr(next(_numbers)))
    membership.refresh_from_db()
    return user, membership


def carpenter():
    found = Occupation.objects.filter(uri="http://data.europa.eu/esco/occupation/carpenter").first()
    return found or OccupationFactory(uri="http://data.europa.eu/esco/occupation/carpenter",
                                      preferred_label="carpenter", preferred_label_da="tømrer", isco_code="7115")


def cook():
    return OccupationFactory(uri="http://data.europa.eu/esco/occupation/cook", preferred_label="cook",
                             preferred_label_da="kok", isco_code="5120")


def place(code: str = "8000"):
    known = {"8000": ("Aarhus C", 56.1528, 10.2036, "0751"), "1050": ("København K", 55.6803, 12.5868, "0101")}
    found = Postcode.objects.filter(code=code).first()
    if found is not None:
        return found
    name, lat, lon, municipality_code = known[code]
    return PostcodeFactory(code=code, name=name, latitude=lat, longitude=lon, municipality_code=municipality_code)


def seeker(municipality, occupation, *, first_name="Sara", last_name="Jensen", postcode="8000"):
    """A citizen with a profile seeking `occupation` and a job behind them."""
    citizen = CitizenFactory(municipality=municipality, user=UserFactory(first_name=first_name, last_name=last_name),
                             postcode=place(postcode))
    profile = Profile.all_tenants.create(municipality=municipality, citizen=citizen, summary="Jeg er tømrer.",
                                         radius_km=40)
    profile.occupations.add(occupation)
    WorkExperience.all_tenants.create(municipality=municipality, citizen=citizen, employer="Byg & Co",
                                      title="Tømrerlærling", started_on=datetime.date(2019, 8, 1),
                                      ended_on=datetime.date(2024, 6, 30))
    return citizen


def place_data(occupation, *, today: datetime.date | None = None, **changes) -> dict:
    start = (today or timezone.localdate()) + datetime.timedelta(days=8)
    data = {"title": "Tømrerhjælper", "occupation": str(occupation.pk), "starts_on": start,
            "ends_on": start + datetime.timedelta(days=27), "hours_per_week": 25,
            "address": "Værkstedsvej 4, Aarhus", "postcode": "8000",
            "description": "Du hjælper med renovering af etageboliger.", "places": 1}
    data.update(changes)
    return data
