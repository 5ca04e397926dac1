import pytest

from jobunivers.citizens.tests.factories import CitizenFactory


@pytest.fixture
def citizen(municipality):
    from jobunivers.accounts.tests.factories import UserFactory

    return CitizenFactory(municipality=municipality, user=UserFactory(first_name="Karen", last_name="Borgersen",
                                                                  email="karen.b@example.dk"))
