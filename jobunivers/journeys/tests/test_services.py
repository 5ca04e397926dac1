import datetime

import pytest

from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.journeys import services
from jobunivers.journeys.models import (
    Assignment,
    Enrolment,
    Experiment,
    Journey,
    JourneyVersion,
    OptOut,
    Step,
    Variant,
)
from jobunivers.journeys.tests.factories import journey, on_track, step, track_key, two_arms
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db


def _counts():
    return (Journey.all_tenants.count(), JourneyVersion.all_tenants.count(), Step.all_tenants.count(),
            Experiment.all_tenants.count(), Variant.all_tenants.count())


def test_an_administrator_builds_and_publishes_a_journey(municipality, admin):
    made, version = journey(municipality, admin, steps=[step(title="Velkommen"), step(title="Tjekliste", wait_days=7,
                                                                                   weekdays_only=True)],
                            experiment=two_arms())
    assert (version.status, version.number, version.published_by_id) == ("published", 1, admin.pk)
    experiment = Experiment.all_tenants.get()
    assert (experiment.status, experiment.step.position) == ("running", 1)
    assert sorted(Variant.all_tenants.values_list("key", "weight")) == [("a", 50), ("b", 50)]


def test_only_the_municipalitys_administrator_may_build(municipality, other_municipality, member):
    for role in (Role.JOB_ADVISER, Role.CITIZEN):
        with pytest.raises(NotFound):
            services.journey_create(actor=member(role, municipality), municipality_id=municipality.pk, name="X",
                                    why="Y", track_key=track_key(municipality))
    with pytest.raises(NotFound):
        services.journey_create(actor=member(Role.MUNICIPALITY_ADMIN, other_municipality),
                                municipality_id=municipality.pk, name="X", why="Y", track_key=track_key(municipality))
    assert _counts() == (0, 0, 0, 0, 0)


def test_a_negative_wait_is_refused_in_danish_and_nothing_is_written(municipality, admin):
    _made, version = journey(municipality, admin, steps=[step()], publish=False)
    before = _counts()
    with pytest.raises(ValidationFailed) as error:
        services.step_save(actor=admin, version=version, data=step(wait_days="-3"))
    assert error.value.messages == {"wait_days": ["Ventetiden skal være fra 0 til 365 dage; den kan ikke være "
                                                  "negativ."]}
    assert _counts() == before


def test_weights_that_do_not_add_up_to_100_are_refused_and_nothing_is_written(municipality, admin):
    _made, version = journey(municipality, admin, steps=[step()], publish=False)
    before = _counts()
    with pytest.raises(ValidationFailed) as error:
        services.experiment_save(actor=admin, version=version, **two_arms(weights=(50, 40)))
    assert error.value.messages == {"variants": ["Armenes vægte skal tilsammen give 100 (de giver nu 90)."]}
    assert _counts() == before


def test_publishing_an_empty_journey_is_refused_and_nothing_changes(municipality, admin):
    _made, version = journey(municipality, admin, steps=[step()], publish=False)
    Step.all_tenants.all().delete()
    with pytest.raises(ValidationFailed) as error:
        services.version_publish(actor=admin, version=version)
    assert error.value.messages == {"__all__": ["Forløbet har ingen trin. Tilføj mindst ét trin, før du "
                                                "udgiver det."]}
    version.refresh_from_db()
    assert (version.status, version.published_at) == ("draft", None)


def test_a_branch_to_a_missing_step_blocks_publishing(municipality, admin):
    _made, version = journey(municipality, admin, steps=[step(condition="clicked", next_if_not=5)], publish=False)
    with pytest.raises(ValidationFailed) as error:
        services.version_publish(actor=admin, version=version)
    assert error.value.messages == {"__all__": ["Trin 1 går til trin 5, som ikke findes."]}


def test_a_published_version_is_frozen(municipality, admin):
    _made, version = journey(municipality, admin, steps=[step(title="Velkommen")])
    first = Step.all_tenants.get()
    with pytest.raises(ValidationFailed) as error:
        services.step_save(actor=admin, version=version, data=step(title="Ændret"), step=first)
    assert error.value.messages == {"__all__": ["En udgivet version kan ikke ændres. Lav en ny kladde for at "
                                                "ændre forløbet."]}
    first.refresh_from_db()
    assert first.title == "Velkommen"


def test_a_reused_experiment_key_is_refused(municipality, admin):
    journey(municipality, admin, steps=[step()], experiment=two_arms(key="genbrug"))
    _made, draft = journey(municipality, admin, name="Andet", steps=[step()], publish=False)
    with pytest.raises(ValidationFailed) as error:
        services.experiment_save(actor=admin, version=draft, **two_arms(key="genbrug"))
    assert list(error.value.messages) == ["key"]
    assert Experiment.all_tenants.count() == 1


def test_a_new_draft_copies_the_steps_and_publishing_it_retires_the_old(municipality, admin):
    made, first = journey(municipality, admin, steps=[step(title="A"), step(title="B")])
    draft = services.draft_create(actor=admin, journey=made)
    assert list(Step.all_tenants.filter(version=draft).values_list("position", "title")) == [(1, "A"), (2, "B")]
    services.version_publish(actor=admin, version=draft)
    first.refresh_from_db()
    assert first.status == "retired"


def test_assignment_is_sticky_when_the_weights_change(municipality, admin):
    # given citizens assigned in an experiment
    from jobunivers.journeys import engine

    journey(municipality, admin, steps=[step()], experiment=two_arms(key="klistret"))
    citizens = [on_track(municipality) for _ in range(20)]
    now = datetime.datetime(2027, 3, 1, 10, tzinfo=datetime.UTC)
    engine.enrol(municipality_id=municipality.pk, now=now)
    before = dict(Assignment.all_tenants.values_list("citizen_id", "arm"))
    # when the weights are changed in the database and enrolment runs again for the same citizens
    Variant.all_tenants.filter(key="a").update(weight=99)
    Variant.all_tenants.filter(key="b").update(weight=1)
    Enrolment.all_tenants.all().delete()
    engine.enrol(municipality_id=municipality.pk, now=now)
    # then no one moved
    assert dict(Assignment.all_tenants.values_list("citizen_id", "arm")) == before
    assert set(before) == {c.pk for c in citizens}


def test_the_citizen_opts_out_and_in_again(municipality, admin):
    made, _version = journey(municipality, admin, steps=[step()])
    citizen = on_track(municipality)
    services.opt_out_set(actor=citizen.user, citizen=citizen, journey_id=made.pk, opted_out=True)
    assert OptOut.all_tenants.filter(citizen=citizen).count() == 1
    services.opt_out_set(actor=citizen.user, citizen=citizen, journey_id=made.pk, opted_out=False)
    assert OptOut.all_tenants.filter(citizen=citizen).count() == 0


def test_only_the_citizen_may_opt_out(municipality, admin, member):
    made, _version = journey(municipality, admin, steps=[step()])
    citizen = on_track(municipality)
    with pytest.raises(NotFound):
        services.opt_out_set(actor=member(Role.JOB_ADVISER, municipality), citizen=citizen, journey_id=made.pk,
                             opted_out=True)
    assert OptOut.all_tenants.count() == 0
