"""GDPR export and erasure of learning data, and retention of ended enrolments."""

import datetime

import pytest
from django.utils import timezone

from jobunivers.audit.privacy import registration_for
from jobunivers.learning import services
from jobunivers.learning.models import LessonProgress, ModuleEnrolment
from jobunivers.learning.retention import learning_purge
from jobunivers.learning.tests.helpers import citizen_of, make_module, right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(municipality):
    citizen = citizen_of(municipality)
    module = make_module()
    enrolment = services.enrol(actor=citizen.user, citizen=citizen, module_id=module.pk, share_progress=True)
    lesson = module.lessons.order_by("position").first()
    services.quiz_answer(actor=citizen.user, enrolment=enrolment, lesson_id=lesson.pk,
                         answers=right_answers(lesson, wrong=1))
    return citizen, enrolment


def test_the_export_holds_the_enrolment_and_the_quiz_results(learner):
    citizen, enrolment = learner
    enrolments = registration_for(ModuleEnrolment).export(citizen.user)
    progress = registration_for(LessonProgress).export(citizen.user)
    assert [(e["module"], e["status"], e["share_progress"]) for e in enrolments] == [("Prøvemodul", "enrolled", True)]
    assert [(p["lesson"], p["attempts"], p["best_score"], p["last_answers"]) for p in progress] == [
        ("Lektion en", 1, 2, [1, 0, 0])]


def test_erasure_removes_the_citizens_learning_and_nobody_elses(learner, municipality):
    citizen, _enrolment = learner
    other = citizen_of(municipality)
    services.enrol(actor=other.user, citizen=other, module_id=make_module("andet").pk)
    registration_for(LessonProgress).erase(citizen.user)
    registration_for(ModuleEnrolment).erase(citizen.user)
    assert list(ModuleEnrolment.all_tenants.values_list("citizen_id", flat=True)) == [other.pk]
    assert LessonProgress.all_tenants.count() == 0


def test_ended_enrolments_go_after_the_period_and_open_ones_stay(learner, municipality, other_municipality):
    citizen, open_enrolment = learner
    old = timezone.now() - datetime.timedelta(days=40)
    left = services.enrol(actor=citizen.user, citizen=citizen, module_id=make_module("forladt").pk)
    services.enrolment_withdraw(actor=citizen.user, enrolment=left)
    recent = services.enrol(actor=citizen.user, citizen=citizen, module_id=make_module("nylig").pk)
    services.enrolment_withdraw(actor=citizen.user, enrolment=recent)
    ModuleEnrolment.all_tenants.filter(pk__in=[left.pk, open_enrolment.pk]).update(withdrawn_at=old,
                                                                                   enrolled_at=old)
    # when the purge runs with a 30-day period, twice, and for another municipality
    first = learning_purge(municipality_id=municipality.pk, retention_days=30)
    second = learning_purge(municipality_id=municipality.pk, retention_days=30)
    elsewhere = learning_purge(municipality_id=other_municipality.pk, retention_days=30)
    # then only the old ended enrolment went
    nothing = {"enrolments": 0, "statements": 0, "interviews": 0}
    assert (first, second, elsewhere) == ({"enrolments": 1, "statements": 0, "interviews": 0}, nothing, nothing)
    assert set(ModuleEnrolment.all_tenants.values_list("pk", flat=True)) == {open_enrolment.pk, recent.pk}


def test_the_purge_task_uses_each_municipalitys_period(learner, municipality):
    from jobunivers.learning.tasks import purge_learning

    result = purge_learning.apply().get()
    assert result[municipality.pk] == {"enrolments": 0, "statements": 0, "interviews": 0}
