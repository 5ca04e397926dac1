"""The demo stores every demo citizen's diagnosis, so module statistics have figures from the first start."""

from io import StringIO

import pytest

from jobunivers.advice.demo import load
from jobunivers.advice.models import Diagnosis
from jobunivers.citizens.tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db


def test_the_demo_step_stores_a_diagnosis_for_every_citizen_and_can_run_again(municipality):
    # given three citizens without a stored diagnosis
    citizens = [CitizenFactory(municipality=municipality) for _n in range(3)]
    out = StringIO()
    # when the demo step runs twice (it runs at every start)
    load(rng=None, stdout=out)
    load(rng=None, stdout=out)
    # then each has one diagnosis, and the step said how many it stored
    assert sorted(Diagnosis.all_tenants.values_list("citizen_id", flat=True)) == sorted(c.pk for c in citizens)
    assert out.getvalue().count("advice: 3 diagnoses stored") == 2
