import pytest

from jobunivers.core.context import tenant_context
from jobunivers.marketplace.tests import factories as market
from jobunivers.tenancy.roles import Role


@pytest.fixture
def admin(member, municipality):
    return member(Role.MUNICIPALITY_ADMIN, municipality)


@pytest.fixture
def second_admin(member, municipality):
    return member(Role.MUNICIPALITY_ADMIN, municipality)


@pytest.fixture
def vendor(db):
    return market.vendor("Coachfirmaet ApS")


@pytest.fixture
def vendor_user(member, vendor):
    return market.vendor_user(member, vendor)


@pytest.fixture
def in_home(municipality):
    with tenant_context(municipality):
        yield municipality
