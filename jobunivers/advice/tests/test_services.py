"""Computing and storing diagnoses (the weekly run, the recompute after a change), answering steps."""

import pytest

from jobunivers.advice import services, tasks
from jobunivers.advice.models import Diagnosis, StepResponse
from jobunivers.advice.tests.helpers import (
    RANDERS,
    complete,
    log_entry,
    occupation,
    postings,
    seeker,
    store_diagnoses,
)
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.core.testing import client_for, murl

pytestmark = pytest.mark.django_db


@pytest.fixture
def carpenter_world(municipality):
    carpenter = occupation("Tømrer")
    joiner = occupation("Bygningssnedker")  # same ISCO-08 unit group: a neighbour
    citizen = seeker(municipality, occupations=[carpenter])
    complete(citizen)
    log_entry(citizen, days_ago=2)
    postings(2, carpenter)
    postings(10, carpenter, at=RANDERS)
    postings(6, joiner)
    return citizen, carpenter, joiner


def test_the_weekly_run_stores_few_jobs_wider_radius_and_the_neighbour(carpenter_world, other_municipality):
    # given a carpenter in Aarhus with 2 open jobs within 25 km, 12 within 50 km and a neighbour with 6
    citizen, carpenter, joiner = carpenter_world
    other = seeker(other_municipality, occupations=[carpenter])
    # when the weekly run goes over every citizen
    assert tasks.diagnoses_recompute_all(batch_size=1) == 2
    # then each has a diagnosis with the facts it was built from
    stored = Diagnosis.all_tenants.get(citizen=citizen)
    modules = [f["module"] for f in stored.findings]
    assert modules[:2] == ["few_jobs_nearby", "widen_radius"]
    assert (stored.facts["jobs_nearby"], stored.facts["jobs_wider"]) == (2, 12)
    assert stored.facts["neighbour_occupation_id"] == joiner.pk and stored.facts["neighbour_jobs_nearby"] == 6
    assert stored.facts["seekers_nearby"] == 1  # the other carpenter, not the citizen themself
    assert Diagnosis.all_tenants.get(citizen=other).municipality_id == other_municipality.pk


def test_a_second_run_replaces_the_diagnosis(carpenter_world):
    citizen, carpenter, _joiner = carpenter_world
    store_diagnoses([citizen.pk])
    postings(5, carpenter)
    store_diagnoses([citizen.pk])
    stored = Diagnosis.all_tenants.filter(citizen=citizen)
    assert stored.count() == 1 and stored.get().facts["jobs_nearby"] == 7
    assert "few_jobs_nearby" not in [f["module"] for f in stored.get().findings]


def test_a_job_log_entry_recomputes_the_diagnosis(municipality, django_capture_on_commit_callbacks):
    # given a citizen whose diagnosis says they have not logged anything
    citizen = seeker(municipality, occupations=[occupation()])
    store_diagnoses([citizen.pk])
    assert "no_recent_activity" in [f["module"] for f in Diagnosis.all_tenants.get(citizen=citizen).findings]
    # when they log an application through the service
    from django.utils import timezone

    from jobunivers.citizens.services import job_log_entry_add

    with django_capture_on_commit_callbacks(execute=True):
        job_log_entry_add(actor=citizen.user, citizen=citizen, employer="Byg A/S", job_title="Tømrer",
                          occurred_on=timezone.localdate(), how_applied="email")
    # then the stored diagnosis no longer says so
    assert "no_recent_activity" not in [f["module"] for f in Diagnosis.all_tenants.get(citizen=citizen).findings]


def test_a_profile_change_recomputes_the_diagnosis(municipality, django_capture_on_commit_callbacks):
    citizen = seeker(municipality, occupations=[])
    store_diagnoses([citizen.pk])
    assert Diagnosis.all_tenants.get(citizen=citizen).findings[0]["module"] == "no_occupation"
    from jobunivers.citizens.services import profile_occupation_add

    with django_capture_on_commit_callbacks(execute=True):
        profile_occupation_add(actor=citizen.user, citizen=citizen, occupation_id=occupation().pk)
    assert "no_occupation" not in [f["module"] for f in Diagnosis.all_tenants.get(citizen=citizen).findings]


def test_a_citizen_marks_a_step_and_changes_the_answer(municipality):
    citizen = seeker(municipality)
    services.step_answer(actor=citizen.user, citizen=citizen, module="no_cv", step="upload_cv", answer="done")
    services.step_answer(actor=citizen.user, citizen=citizen, module="no_cv", step="upload_cv", answer="not_for_me")
    assert list(StepResponse.all_tenants.values_list("module", "step", "answer")) == [
        ("no_cv", "upload_cv", "not_for_me")]


@pytest.mark.parametrize("module, step, answer, field", [
    ("unknown", "upload_cv", "done", "step"),
    ("no_cv", "add_skills", "done", "step"),  # a step of another module
    ("no_cv", "upload_cv", "maybe", "answer"),
])
def test_bad_answers_are_refused_and_nothing_is_written(municipality, module, step, answer, field):
    citizen = seeker(municipality)
    with pytest.raises(ValidationFailed) as refused:
        services.step_answer(actor=citizen.user, citizen=citizen, module=module, step=step, answer=answer)
    assert list(refused.value.messages) == [field]
    assert StepResponse.all_tenants.count() == 0


def test_nobody_answers_for_another_citizen(world):
    # given A's citizen and B's citizen
    from jobunivers.citizens.models import Citizen

    mine = Citizen.all_tenants.get(user=world.users["citizen"])
    theirs = Citizen.all_tenants.get(user=world.other_users["citizen"])
    # when staff, or another citizen, answer a step of theirs
    for actor in (world.users["personal_consultant"], world.users["job_adviser"], mine.user):
        with pytest.raises(NotFound):
            services.step_answer(actor=actor, citizen=theirs, module="no_cv", step="upload_cv", answer="done")
    # then nothing is written
    assert StepResponse.all_tenants.count() == 0


def test_personal_data_export_and_erasure(municipality):
    from jobunivers.audit.services import personal_data_export

    citizen = seeker(municipality)
    store_diagnoses([citizen.pk])
    services.step_answer(actor=citizen.user, citizen=citizen, module="no_cv", step="upload_cv", answer="done")
    exported = personal_data_export(user=citizen.user)
    flat = str(exported)
    assert "no_cv" in flat and "upload_cv" in flat
    from jobunivers.audit.privacy import registrations

    for registration in registrations():
        if registration.model_label.startswith("advice."):
            registration.erase(citizen.user)
    assert Diagnosis.all_tenants.filter(citizen=citizen).count() == 0
    assert StepResponse.all_tenants.filter(citizen=citizen).count() == 0


def test_answer_view_refuses_staff_and_writes_nothing(world):
    url = murl(world.home, "advice:answer")
    for role in ("personal_consultant", "job_adviser", "job_journey_assistant", "municipality_admin"):
        response = client_for(world.users[role]).post(url, {"module": "no_cv", "step": "upload_cv", "answer": "done"})
        assert response.status_code in (403, 404), role
    assert StepResponse.all_tenants.count() == 0
