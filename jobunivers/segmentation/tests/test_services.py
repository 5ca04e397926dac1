"""Suggestion, explanation, disagreement task, staff decision, override statistics and consultant
assignment, end to end through the services."""

import datetime

import pytest
from django.utils import timezone

from jobunivers.audit.models import ProfilingObjection
from jobunivers.citizens.services import onboarding_answers_submit
from jobunivers.core.context import tenant_context
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.segmentation import selectors, services
from jobunivers.segmentation.contracts import CitizenNotices, ConsultantAssigned, TrackDecided
from jobunivers.segmentation.models import (
    ConsultantAssignment,
    Decision,
    Disagreement,
    RiskModelVersion,
    Suggestion,
)
from jobunivers.segmentation.tests.factories import assignment, decision, register_data, suggestion, tracks
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db

ANSWERS = {"self_assessed_chances": "4", "expected_weeks_to_job": "6", "job_search_confidence": "4",
           "barriers": [], "contact_channels": ["email"], "digital_skills": "confident",
           "preferred_contact": "virtual", "education_level": "vocational", "wants_personal_contact": False}


@pytest.fixture
def events():
    from jobunivers.core.events import _handlers

    seen = []
    for event_type in (CitizenNotices, ConsultantAssigned, TrackDecided):
        _handlers[event_type].append(seen.append)
    yield seen
    for event_type in (CitizenNotices, ConsultantAssigned, TrackDecided):
        _handlers[event_type].remove(seen.append)


@pytest.fixture(scope="module")
def synthetic_model_blob():
    from jobunivers.segmentation import riskmodel
    from jobunivers.segmentation.features import FEATURE_NAMES
    from jobunivers.segmentation.simulator import simulate

    population = simulate(3000, seed=5)
    result = riskmodel.train_and_evaluate(population.features, population.still_unemployed,
                                          feature_names=list(FEATURE_NAMES),
                                          entry_times=population.registered_day.astype(float))
    return result


def _active_model(result):
    version = services.model_register(result=result, horizon_weeks=26, is_synthetic=True,
                                      training_period=("2024-01-01", "2025-12-31"), source="test")
    RiskModelVersion.objects.filter(pk=version.pk).update(status=RiskModelVersion.Status.ACTIVE)
    return version


def test_onboarding_creates_an_explained_suggestion_that_changes_nothing_until_a_person_decides(
        municipality, member, django_capture_on_commit_callbacks, events):
    # given a citizen with register data who needs help with digital tools
    citizen_user = member(Role.CITIZEN, municipality)
    citizen = citizen_user.citizen
    register_data(citizen, unemployment_weeks_last_3_years=80)
    # when they complete onboarding (the event is wired in config/events.py)
    with tenant_context(municipality), django_capture_on_commit_callbacks(execute=True):
        onboarding_answers_submit(actor=citizen_user, citizen=citizen,
                                  data={**ANSWERS, "digital_skills": "needs_help"})
    # then there is one explained suggestion: personal consultant, with its reasons and inputs
    with tenant_context(municipality):
        made = selectors.latest_suggestion(citizen_id=citizen.pk)
        assert made.track.support_level == 3
        assert made.tags[:1] == ["needs_digital_help"]
        assert "long_previous_unemployment" in made.tags
        assert made.inputs["answers"]["digital_skills"] == "needs_help"
        assert made.inputs["register"]["unemployment_weeks_last_3_years"] == 80
        assert "origin" not in made.inputs["register"]
        assert made.risk_omitted == "no_model" and made.risk_score is None and made.model_version is None
        assert made.status == Suggestion.Status.PENDING
        # and the citizen gets no track until someone decides
        assert selectors.current_track(citizen_id=citizen.pk) is None
    assert [n.subject_key for e in events if isinstance(e, CitizenNotices) for n in e.notices] == [
        f"segmentation-suggestion:{made.pk}"]


def test_suggestion_uses_the_active_model_and_stores_its_version(municipality, member, synthetic_model_blob):
    # given an active model and a citizen with register data but no answers
    version = _active_model(synthetic_model_blob)
    citizen = member(Role.CITIZEN, municipality).citizen
    register_data(citizen)
    # when a suggestion is made
    with tenant_context(municipality):
        made = services.suggestion_create(citizen_id=citizen.pk)
    # then it has a score between 0 and 1 from that version
    assert made.model_version_id == version.pk
    assert 0.0 < made.risk_score < 1.0
    assert made.risk_omitted == ""
    assert "no_answers" in made.tags


def test_no_risk_score_is_computed_for_a_citizen_who_objects_to_profiling(municipality, member,
                                                                          synthetic_model_blob):
    # given an active model and a citizen who objects to profiling
    _active_model(synthetic_model_blob)
    citizen = member(Role.CITIZEN, municipality).citizen
    register_data(citizen)
    ProfilingObjection.objects.create(user=citizen.user, objected=True)
    # when a suggestion is made
    with tenant_context(municipality):
        made = services.suggestion_create(citizen_id=citizen.pk)
    # then no score and no model version are stored, and the explanation says why
    assert made.risk_score is None and made.model_version_id is None
    assert made.risk_omitted == "objected"
    assert "profiling_objected" in made.tags


def test_citizen_disagreement_becomes_a_task_and_the_staff_decision_resolves_it(
        municipality, member, django_capture_on_commit_callbacks, events):
    # given a pending suggestion
    citizen_user = member(Role.CITIZEN, municipality)
    adviser = member(Role.JOB_ADVISER, municipality)
    made = suggestion(citizen_user.citizen, level=1)
    levels = tracks(municipality)
    with tenant_context(municipality):
        # when the citizen disagrees with a comment
        task = services.suggestion_disagree(actor=citizen_user, suggestion_id=made.pk,
                                            comment="Jeg har brug for en fast kontakt.")
        # then it is an open task for staff
        assert list(selectors.open_disagreements()) == [task]
        # when a staff member changes the track with a reason
        with django_capture_on_commit_callbacks(execute=True):
            made_decision = services.decision_make(actor=adviser, suggestion_id=made.pk,
                                                   track_id=levels[3].pk, reason="Enig med borgeren.")
        # then the decision is what the citizen gets and the task is resolved
        assert made_decision.changed is True
        assert selectors.current_track(citizen_id=citizen_user.citizen.pk).support_level == 3
        assert list(selectors.open_disagreements()) == []
        assert Disagreement.objects.get(pk=task.pk).status == Disagreement.Status.RESOLVED
        assert Suggestion.objects.get(pk=made.pk).status == Suggestion.Status.DECIDED
    assert [type(e).__name__ for e in events] == ["TrackDecided", "CitizenNotices"]


def test_changing_the_track_without_a_reason_is_refused_and_nothing_is_written(municipality, member):
    # given a pending suggestion
    citizen = member(Role.CITIZEN, municipality).citizen
    adviser = member(Role.JOB_ADVISER, municipality)
    made = suggestion(citizen, level=1)
    with tenant_context(municipality):
        # when staff change the track without a reason
        with pytest.raises(ValidationFailed) as error:
            services.decision_make(actor=adviser, suggestion_id=made.pk, track_id=tracks(municipality)[2].pk)
        # then it is refused with a translated message and nothing changed
        assert list(error.value.messages) == ["reason"]
        assert Decision.objects.count() == 0
        assert Suggestion.objects.get(pk=made.pk).status == Suggestion.Status.PENDING


def test_a_citizen_cannot_decide_and_cannot_disagree_with_someone_elses_suggestion(municipality, member):
    # given two citizens and a suggestion for the first
    first = member(Role.CITIZEN, municipality)
    second = member(Role.CITIZEN, municipality)
    made = suggestion(first.citizen)
    with tenant_context(municipality):
        # then the second can neither decide nor disagree
        with pytest.raises(NotFound):
            services.decision_make(actor=second, suggestion_id=made.pk, track_id=made.track_id)
        with pytest.raises(NotFound):
            services.suggestion_disagree(actor=second, suggestion_id=made.pk, comment="x")
        assert Decision.objects.count() == 0 and Disagreement.objects.count() == 0


def test_disagreement_needs_a_comment(municipality, member):
    citizen_user = member(Role.CITIZEN, municipality)
    made = suggestion(citizen_user.citizen)
    with tenant_context(municipality):
        with pytest.raises(ValidationFailed) as error:
            services.suggestion_disagree(actor=citizen_user, suggestion_id=made.pk, comment="   ")
        assert list(error.value.messages) == ["comment"]
        assert Disagreement.objects.count() == 0


def test_override_statistics_warn_when_staff_change_under_five_percent_in_three_months(municipality, member):
    # given 40 decisions in the last 3 months of which 1 changed, and 10 changed ones older than that
    adviser = member(Role.JOB_ADVISER, municipality)
    now = timezone.now()
    for number in range(40):
        made = suggestion(member(Role.CITIZEN, municipality).citizen, level=1)
        decision(made, by=adviser, level=2 if number == 0 else None, reason="x" if number == 0 else "",
                 at=now - datetime.timedelta(days=number))
    for _number in range(10):
        old = suggestion(member(Role.CITIZEN, municipality).citizen, level=1)
        decision(old, by=adviser, level=3, reason="x", at=now - datetime.timedelta(days=120))
    # when the statistics are read
    stats = selectors.override_statistics(municipality_id=municipality.pk, now=now)
    # then 1 of 40 = 2.5 % < 5 %: a warning
    assert (stats.decisions, stats.changed, stats.percent_changed) == (40, 1, 2.5)
    assert stats.warn is True


def test_override_statistics_do_not_warn_with_enough_changes_or_too_few_decisions(municipality, member):
    adviser = member(Role.JOB_ADVISER, municipality)
    for _number in range(10):
        decision(suggestion(member(Role.CITIZEN, municipality).citizen, level=1), by=adviser)
    few = selectors.override_statistics(municipality_id=municipality.pk)
    assert (few.decisions, few.too_few, few.warn) == (10, True, False)
    for number in range(10):
        decision(suggestion(member(Role.CITIZEN, municipality).citizen, level=1), by=adviser,
                 level=2 if number < 2 else None, reason="x")
    enough = selectors.override_statistics(municipality_id=municipality.pk)
    assert (enough.decisions, enough.changed, enough.percent_changed, enough.warn) == (20, 2, 10.0, False)


def test_manual_consultant_assignment_keeps_history(municipality, member, django_capture_on_commit_callbacks,
                                                    events):
    # given a citizen followed by one consultant
    citizen = member(Role.CITIZEN, municipality).citizen
    first, second = member(Role.PERSONAL_CONSULTANT, municipality), member(Role.PERSONAL_CONSULTANT, municipality)
    adviser = member(Role.JOB_ADVISER, municipality)
    assignment(citizen, first)
    with tenant_context(municipality):
        # when staff assign another
        with django_capture_on_commit_callbacks(execute=True):
            services.consultant_assign(actor=adviser, citizen_id=citizen.pk, consultant_user_id=second.pk,
                                       reason="Ny konsulent efter ønske")
        # then the new one is current, and the old one has ended
        assert selectors.current_consultant(citizen_id=citizen.pk).consultant_id == second.pk
        assert [a.consultant_id for a in selectors.consultant_history(citizen_id=citizen.pk)] == [second.pk, first.pk]
        assert ConsultantAssignment.objects.get(consultant=first).ended_at is not None
        assert list(selectors.caseload_of(consultant_user_id=first.pk)) == []
    assert [e.consultant_user_id for e in events if isinstance(e, ConsultantAssigned)] == [second.pk]


def test_only_personal_consultants_can_be_assigned(municipality, member):
    citizen = member(Role.CITIZEN, municipality).citizen
    adviser = member(Role.JOB_ADVISER, municipality)
    with tenant_context(municipality):
        with pytest.raises(ValidationFailed):
            services.consultant_assign(actor=adviser, citizen_id=citizen.pk, consultant_user_id=adviser.pk,
                                       reason="x")
        assert ConsultantAssignment.objects.count() == 0


def test_unassigned_citizens_are_those_decided_for_a_consultant_without_one(municipality, member):
    adviser = member(Role.JOB_ADVISER, municipality)
    consultant = member(Role.PERSONAL_CONSULTANT, municipality)
    waiting = member(Role.CITIZEN, municipality).citizen
    served = member(Role.CITIZEN, municipality).citizen
    self_service = member(Role.CITIZEN, municipality).citizen
    decision(suggestion(waiting, level=3), by=adviser)
    decision(suggestion(served, level=3), by=adviser)
    decision(suggestion(self_service, level=1), by=adviser)
    assignment(served, consultant)
    with tenant_context(municipality):
        assert list(selectors.unassigned_citizens(municipality_id=municipality.pk)) == [waiting]


def test_first_period_depends_on_education(municipality):
    from jobunivers.tenancy.selectors import settings_for

    municipal = settings_for(municipality)
    municipal.first_period_weeks_unskilled, municipal.first_period_weeks_skilled = 13, 17
    municipal.save()
    assert selectors.first_period_weeks(municipality_id=municipality.pk, education_level="primary") == 13
    assert selectors.first_period_weeks(municipality_id=municipality.pk, education_level="") == 13
    assert selectors.first_period_weeks(municipality_id=municipality.pk, education_level="bachelor") == 17


def test_batch_suggestions_match_one_by_one_and_stay_in_their_municipality(
        municipality, other_municipality, member, synthetic_model_blob, django_capture_on_commit_callbacks):
    # given an active model and citizens of every kind: register data with and without answers,
    # one objecting to profiling, one without register data; and a citizen of another municipality
    _active_model(synthetic_model_blob)
    with_answers = member(Role.CITIZEN, municipality).citizen
    register_data(with_answers, unemployment_weeks_last_3_years=60)
    with tenant_context(municipality):
        onboarding_answers_submit(actor=with_answers.user, citizen=with_answers, data=ANSWERS)
    plain = member(Role.CITIZEN, municipality).citizen
    register_data(plain, weeks_since_last_job=None)
    objecting = member(Role.CITIZEN, municipality).citizen
    register_data(objecting)
    ProfilingObjection.objects.create(user=objecting.user, objected=True)
    no_register = member(Role.CITIZEN, municipality).citizen
    elsewhere = member(Role.CITIZEN, other_municipality).citizen
    register_data(elsewhere)
    ours = [with_answers, plain, objecting, no_register]
    # when suggestions are made one by one, and then for all of them at once (ids of the other
    # municipality's citizen included)
    with tenant_context(municipality):
        single = {c.pk: services.suggestion_create(citizen_id=c.pk) for c in ours}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        made = services.suggestions_create(municipality_id=municipality.pk,
                                           citizen_ids=[c.pk for c in ours] + [elsewhere.pk])
    # then the batch made the same suggestions (track, tags, score, reason for a missing score)
    assert made == 4
    batch = {s.citizen_id: s for s in Suggestion.all_tenants.filter(status=Suggestion.Status.PENDING)}
    assert sorted(batch) == sorted(c.pk for c in ours)
    for citizen_id, one in single.items():
        assert (batch[citizen_id].track_id, batch[citizen_id].tags, batch[citizen_id].risk_omitted,
                batch[citizen_id].model_version_id, batch[citizen_id].inputs) == (
            one.track_id, one.tags, one.risk_omitted, one.model_version_id, one.inputs)
        assert batch[citizen_id].risk_score == one.risk_score
    # and the earlier pending ones were superseded, nothing was made for the other municipality
    assert Suggestion.all_tenants.filter(status=Suggestion.Status.SUPERSEDED).count() == 4
    assert not Suggestion.all_tenants.filter(citizen=elsewhere).exists()
    assert batch[objecting.pk].risk_score is None and batch[no_register.pk].risk_omitted == "no_register_data"
    # and one notice per citizen is asked for, after the commit
    assert len(callbacks) == 1
