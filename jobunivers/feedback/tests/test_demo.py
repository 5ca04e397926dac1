import io
import random

import pytest

from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.feedback.demo import load
from jobunivers.feedback.models import PulseAnswer, PulseRequest

pytestmark = pytest.mark.django_db


def test_demo_citizens_have_answered_two_questions_each(municipality, other_municipality):
    # given a demo municipality with five demo citizens (and a municipality that is not a demo)
    type(municipality).objects.filter(pk=municipality.pk).update(is_demo=True)
    for _ in range(5):
        CitizenFactory(municipality=municipality, is_demo=True)
    CitizenFactory(municipality=other_municipality, is_demo=True)
    # when the demo runs twice
    load(rng=random.Random(1), stdout=io.StringIO())
    load(rng=random.Random(1), stdout=io.StringIO())
    # then each demo citizen of the demo municipality answered two questions, once
    assert PulseRequest.all_tenants.filter(status="sent").count() == 10
    assert PulseAnswer.all_tenants.filter(municipality=municipality).count() == 10
    assert sorted(set(PulseAnswer.all_tenants.values_list("kind", flat=True))) == [
        "assistant", "booking", "learning", "marketplace"]
