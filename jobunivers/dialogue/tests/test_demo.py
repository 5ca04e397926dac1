import io
import random

import pytest

from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.dialogue.demo import load
from jobunivers.dialogue.models import Thread
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db


def test_demo_threads_wait_for_us_or_are_answered(municipality, member):
    # given a demo municipality with an adviser and demo citizens
    type(municipality).objects.filter(pk=municipality.pk).update(is_demo=True)
    member(Role.JOB_ADVISER, municipality)
    for _ in range(4):
        CitizenFactory(municipality=municipality, is_demo=True)
    # when the demo runs
    load(rng=random.Random(1), stdout=io.StringIO())
    # then half the threads wait for the job centre and half were answered
    states = sorted(Thread.all_tenants.values_list("waiting_for", flat=True))
    assert states == ["citizen", "job_centre", "job_centre", "nobody"]
