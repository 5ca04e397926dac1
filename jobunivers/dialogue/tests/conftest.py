import pytest

from jobunivers.tenancy.roles import Role


@pytest.fixture
def citizen(municipality, member):
    from jobunivers.citizens.models import Citizen

    user = member(Role.CITIZEN, municipality, first_name="Nadia", last_name="Nielsen")
    return Citizen.all_tenants.get(user=user)


@pytest.fixture
def adviser(municipality, member):
    return member(Role.JOB_ADVISER, municipality, first_name="Aisha", last_name="Johansen",
                  email="aisha@example.org")


@pytest.fixture
def files_dir(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    return tmp_path / "dialogue"
