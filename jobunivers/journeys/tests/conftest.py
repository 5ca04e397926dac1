import pytest

from jobunivers.tenancy.roles import Role


@pytest.fixture
def admin(municipality, member):
    return member(Role.MUNICIPALITY_ADMIN, municipality)
