from jobunivers.accounts.events import CitizenSignedIn
from jobunivers.accounts.tests.factories import UserFactory
from jobunivers.citizens.models import Citizen
from jobunivers.core.events import publish


def test_first_mitid_sign_in_creates_the_citizen_once(municipality):
    # given a person who signed in with MitID for the first time
    user = UserFactory()
    # when identity publishes the sign-in twice (first time and a later visit)
    publish(CitizenSignedIn(user_id=user.pk, municipality_id=municipality.pk, created=True))
    publish(CitizenSignedIn(user_id=user.pk, municipality_id=municipality.pk, created=False))
    # then exactly one citizen record exists, in that municipality, registered today
    citizens = list(Citizen.all_tenants.filter(user=user))
    assert len(citizens) == 1
    assert citizens[0].municipality_id == municipality.pk
    assert citizens[0].registered_on is not None
