"""The demo step for `make run`: the demo employer's invitation reaches the demo citizens who seek a craft trade,
and running it again changes nothing."""

import io
import random

import pytest

from jobunivers.citizens.models import Citizen
from jobunivers.coffee.demo import load
from jobunivers.coffee.models import Invitation, Offer, Visibility

from .helpers import seeker

pytestmark = pytest.mark.django_db


def test_the_demo_employer_invites_the_demo_carpenters(municipality, occupation):
    from jobunivers.accounts.models import User

    from .helpers import employer, place

    place("8000")
    user, _membership = employer("Byggesen Tømrer & Snedker ApS")
    User.objects.filter(pk=user.pk).update(username="demo-arbejdsgiver")
    carpenter = seeker(municipality, occupation)
    Citizen.all_tenants.filter(pk=carpenter.pk).update(is_demo=True)
    for _ in range(2):
        load(rng=random.Random(1), stdout=io.StringIO())
    assert Invitation.objects.count() == 1
    assert list(Offer.all_tenants.values_list("citizen_id", flat=True)) == [carpenter.pk]
    assert Visibility.all_tenants.get(citizen=carpenter).fields == ["name", "occupations", "skills", "experience"]
