import pytest

from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.tenancy.roles import Role

from . import factories


@pytest.fixture
def adviser(member, municipality):
    user = member(Role.JOB_ADVISER, municipality)
    factories.hours(municipality, user)
    return user


@pytest.fixture
def citizen(municipality):
    return CitizenFactory(municipality=municipality)
