import datetime

import pytest
from django.utils import timezone

from jobunivers.citizens.models import Profile
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.marketplace.contracts import register_agreement_check, unregister_agreement_check
from jobunivers.taxonomy.tests.factories import OccupationFactory
from jobunivers.tenancy.roles import Role

from . import factories


@pytest.fixture
def operator(member):
    return member(Role.PLATFORM_OPERATOR)


@pytest.fixture
def admin(member, municipality):
    return member(Role.MUNICIPALITY_ADMIN, municipality)


@pytest.fixture
def other_admin(member, other_municipality):
    return member(Role.MUNICIPALITY_ADMIN, other_municipality)


@pytest.fixture
def vendor(db):
    return factories.vendor("Jobkurser ApS")


@pytest.fixture
def vendor_actor(member, vendor):
    return factories.vendor_user(member, vendor)


@pytest.fixture
def citizen(municipality):
    """A citizen unemployed for 3 months who seeks work as a warehouse worker (ISCO 9334)."""
    today = timezone.localdate()
    registered = (today.replace(day=1) - datetime.timedelta(days=80)).replace(day=min(today.day, 28))
    person = CitizenFactory(municipality=municipality, registered_on=registered, birth_year=today.year - 40,
                            user__first_name="Mette", user__last_name="Hansen", user__email="mette@example.dk")
    profile = Profile.all_tenants.create(municipality=municipality, citizen=person)
    profile.occupations.add(OccupationFactory(preferred_label="warehouse worker", preferred_label_da="Lagermedarbejder",
                                              isco_code="9334"))
    return person


@pytest.fixture
def agreements():
    """Register an agreement check (as the agreements app will): agreed = {(municipality_id, offer_id)}."""
    agreed: set[tuple[int, int]] = set()

    def check(*, municipality_id, offer_id):
        return (municipality_id, offer_id) in agreed

    register_agreement_check(check)
    yield agreed
    unregister_agreement_check(check)
