import datetime

import pytest
from django.utils import timezone

from jobunivers.journeys import engine
from jobunivers.journeys.models import Assignment, Enrolment, Exposure, OptOut, StepRun
from jobunivers.journeys.retention import journeys_purge
from jobunivers.journeys.tests.factories import journey, on_track, step, two_arms

pytestmark = pytest.mark.django_db


def _running(municipality, admin, n=10):
    made, _version = journey(municipality, admin, steps=[step(title="Velkommen")], experiment=two_arms(holdout=20))
    citizens = [on_track(municipality) for _ in range(n)]
    engine.enrol(municipality_id=municipality.pk)
    engine.advance(municipality_id=municipality.pk)
    return made, citizens


def test_each_arm_is_a_randomised_exposure_source_for_analytics(municipality, admin):
    from jobunivers.analytics.exposures import services_for

    _made, citizens = _running(municipality, admin)
    arms = dict(Assignment.all_tenants.values_list("citizen_id", "arm"))
    found = {s.key: s for s in services_for(municipality.pk) if s.key.startswith("journey-")}
    assert sorted(found) == ["journey-velkomst-test-a", "journey-velkomst-test-b"]
    today = timezone.localdate()
    for key in ("a", "b"):
        source = found[f"journey-velkomst-test-{key}"]
        assert source.randomised is True
        assert source.assigned == {c.pk: today for c in citizens}
        assert source.first_use == {cid: today for cid, arm in arms.items() if arm == key}


def test_export_and_erasure_cover_every_row_of_the_citizen(municipality, admin):
    from jobunivers.audit.services import personal_data_erase, personal_data_export

    made, citizens = _running(municipality, admin, n=6)
    citizen = next(c for c in citizens if Enrolment.all_tenants.get(citizen=c).arm != "holdout")
    OptOut.all_tenants.create(municipality=municipality, citizen=citizen, journey=made)
    # when the citizen exports their data
    sections = {s["source"]: s["records"] for s in personal_data_export(user=citizen.user)["sections"]}
    # then every registration of journeys is there
    assert [(r["journey"], r["state"]) for r in sections["journeys.enrolment"]] == [("Velkomstforløb", "completed")]
    assert [(r["step"], r["state"]) for r in sections["journeys.steprun"]] == [("Velkommen", "sent")]
    assert [r["journey"] for r in sections["journeys.optout"]] == ["Velkomstforløb"]
    arm = Enrolment.all_tenants.get(citizen=citizen).arm
    assert [(r["experiment"], r["arm"]) for r in sections["journeys.assignment"]] == [("Kort eller lang tekst", arm)]
    assert [r["arm"] for r in sections["journeys.exposure"]] == [arm]
    # when they ask for erasure, nothing of theirs is left and the others' rows stay
    personal_data_erase(user=citizen.user)
    for model in (Enrolment, StepRun, OptOut, Assignment, Exposure):
        assert model.all_tenants.filter(citizen=citizen).count() == 0
    assert Enrolment.all_tenants.count() == 5


def test_retention_deletes_ended_enrolments_after_the_period_only(municipality, admin):
    journey(municipality, admin, steps=[step()])
    first, second = on_track(municipality), on_track(municipality)
    engine.enrol(municipality_id=municipality.pk)
    long_ago = timezone.now() - datetime.timedelta(days=800)
    Enrolment.all_tenants.filter(citizen=first).update(state="completed", ended_at=long_ago)
    Enrolment.all_tenants.filter(citizen=second).update(state="completed", ended_at=timezone.now())
    assert journeys_purge(municipality_id=municipality.pk, retention_days=730) == {
        "enrolments": 1, "assignments": 0, "exposures": 0}
    assert list(Enrolment.all_tenants.values_list("citizen_id", flat=True)) == [second.pk]
    assert journeys_purge(municipality_id=municipality.pk, retention_days=730)["enrolments"] == 0
