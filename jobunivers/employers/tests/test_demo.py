"""The demo's hidden job market: the persona citizens on the demo sign-in page get two years of postings in
their first occupation near home from six employers, so their start page list and market page are not empty."""

import io
import random

import pytest
from django.utils import translation

from jobunivers.citizens.models import Citizen, Profile
from jobunivers.core.context import tenant_context
from jobunivers.employers import selectors
from jobunivers.employers.demo import load_history
from jobunivers.taxonomy.tests.factories import PostcodeFactory
from jobunivers.tenancy.models import Municipality
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db


def test_persona_citizens_get_a_history_in_their_occupation_and_others_do_not(municipality, member, warehouse):
    from jobunivers.taxonomy.tests.factories import OccupationFactory

    Municipality.objects.filter(pk=municipality.pk).update(is_demo=True)
    driver = OccupationFactory(preferred_label="driver", preferred_label_da="chauffør", isco_code="8322")
    people = []
    for n, occupation in enumerate([warehouse, driver]):
        user = member(Role.CITIZEN, municipality, username=f"demo-aarhus-borger-{n + 1:03d}", is_demo=True)
        citizen = Citizen.all_tenants.get(user=user)
        Citizen.all_tenants.filter(pk=citizen.pk).update(postcode=PostcodeFactory())
        Profile.all_tenants.create(municipality=municipality, citizen=citizen, radius_km=25).occupations.add(occupation)
        people.append(citizen)
    outsider = member(Role.CITIZEN, municipality, username="someone-else", is_demo=False)
    load_history(rng=random.Random(1), stdout=io.StringIO())
    with tenant_context(municipality), translation.override("da"):
        first = selectors.likely_employers(citizen=people[0])
        second = selectors.likely_employers(citizen=people[1])
    assert {(e.name, e.postings_24_months) for e in first} == {
        ("Østjysk Service A/S", 16), ("Kattegat Gruppen", 12), ("Nordlys ApS", 10), ("Bysted & Co.", 8),
        ("Marselis Partner", 6), ("Fjordens Drift A/S", 4), ("Lindholm Teknik", 3), ("Havnens Hus ApS", 1)}
    assert first[0].open_now >= 2  # open now counts the employer's open jobs in every occupation
    assert first[0].postings_24_months >= 10  # the score saturates for the big ones; recency decides among them
    assert first[0].reason.startswith("har slået ")
    assert second[0].postings_24_months >= 10 and len(second) == 8
    assert Citizen.all_tenants.filter(user=outsider).exists()
    from jobunivers.employers.models import OrganisationPosting

    assert OrganisationPosting.objects.count() == 2 * 60
