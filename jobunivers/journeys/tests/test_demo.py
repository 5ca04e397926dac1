import random

import pytest

from jobunivers.journeys.models import Enrolment, Experiment, StepRun
from jobunivers.journeys.tests.factories import on_track

pytestmark = pytest.mark.django_db


def test_the_demo_runs_a_journey_with_an_experiment(municipality, member):
    # given a demo municipality with an administrator and citizens on the first track
    import io

    from jobunivers.journeys.demo import load
    from jobunivers.tenancy.models import Municipality
    from jobunivers.tenancy.roles import Role

    Municipality.objects.filter(pk=municipality.pk).update(is_demo=True)
    member(Role.MUNICIPALITY_ADMIN, municipality)
    citizens = [on_track(municipality) for _ in range(12)]
    # when the demo loads
    load(rng=random.Random(1), stdout=io.StringIO())
    # then every citizen is enrolled, the experiment runs and steps were sent to the arms, none to the holdout
    assert Enrolment.all_tenants.count() == len(citizens)
    assert Experiment.all_tenants.get().status == "running"
    holdout = set(Enrolment.all_tenants.filter(arm="holdout").values_list("citizen_id", flat=True))
    sent = set(StepRun.all_tenants.filter(state="sent").values_list("citizen_id", flat=True))
    assert sent == {c.pk for c in citizens} - holdout
