import io
import random

import pytest

from jobunivers.booking import slots
from jobunivers.booking.demo import load
from jobunivers.booking.models import WeeklyAvailability
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db


def test_demo_advisers_publish_weekday_hours_so_citizens_see_free_times(municipality, member):
    # given a demo municipality with two job advisers and an administrator
    type(municipality).objects.filter(pk=municipality.pk).update(is_demo=True)
    advisers = [member(Role.JOB_ADVISER, municipality), member(Role.JOB_ADVISER, municipality)]
    member(Role.MUNICIPALITY_ADMIN, municipality)
    # when the demo runs twice
    load(rng=random.Random(1), stdout=io.StringIO())
    load(rng=random.Random(1), stdout=io.StringIO())
    # then each adviser has hours Monday to Friday once, and the next free times exist
    assert sorted(WeeklyAvailability.all_tenants.values_list("adviser_id", "weekday")) == sorted(
        (a.pk, d) for a in advisers for d in range(5))
    free = slots.offers(municipality_id=municipality.pk, policy=slots.policy_for(municipality.pk), limit=3)
    assert len(free) == 3
