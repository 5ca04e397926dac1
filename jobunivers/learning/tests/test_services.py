"""Enrolling, answering a lesson's quiz, completing, leaving and sharing: the rules, and that bad input
writes nothing."""

import pytest

from jobunivers.core.errors import ValidationFailed
from jobunivers.learning import services
from jobunivers.learning.contracts import ModuleCompleted
from jobunivers.learning.models import LessonProgress, ModuleEnrolment
from jobunivers.learning.tests.helpers import citizen_of, make_module, right_answers
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def module():
    return make_module()


@pytest.fixture
def citizen(municipality):
    return citizen_of(municipality)


@pytest.fixture
def enrolment(citizen, module):
    return services.enrol(actor=citizen.user, citizen=citizen, module_id=module.pk)


def test_pass_mark_is_two_thirds_rounded_up():
    assert [services.pass_mark(n) for n in (1, 2, 3, 4, 5)] == [1, 2, 2, 3, 4]


def test_a_citizen_enrols_in_a_national_module(citizen, module):
    # when the citizen enrols and shares their progress
    enrolment = services.enrol(actor=citizen.user, citizen=citizen, module_id=module.pk, share_progress=True)
    # then the enrolment is theirs, open and shared
    assert (enrolment.citizen_id, enrolment.municipality_id, enrolment.status, enrolment.share_progress) == (
        citizen.pk, citizen.municipality_id, "enrolled", True)


def test_enrolling_twice_is_refused_in_danish_and_writes_nothing(citizen, enrolment, module):
    with pytest.raises(ValidationFailed) as caught:
        services.enrol(actor=citizen.user, citizen=citizen, module_id=module.pk)
    assert caught.value.messages == {"__all__": ["Du er allerede tilmeldt dette modul."]}
    assert ModuleEnrolment.all_tenants.count() == 1


def test_staff_cannot_enrol_a_citizen(citizen, module, member, municipality):
    adviser = member(Role.JOB_ADVISER, municipality)
    with pytest.raises(ValidationFailed):
        services.enrol(actor=adviser, citizen=citizen, module_id=module.pk)
    assert ModuleEnrolment.all_tenants.count() == 0


@pytest.mark.parametrize("module_id", ["abc", None, 0, 999999])
def test_an_unknown_module_is_refused(citizen, module_id):
    with pytest.raises(ValidationFailed) as caught:
        services.enrol(actor=citizen.user, citizen=citizen, module_id=module_id)
    assert caught.value.messages == {"__all__": ["Modulet findes ikke eller er ikke længere tilgængeligt."]}
    assert ModuleEnrolment.all_tenants.count() == 0


def test_another_municipalitys_own_module_cannot_be_enrolled_in(citizen, other_municipality):
    theirs = make_module("lokal", municipality=other_municipality)
    with pytest.raises(ValidationFailed):
        services.enrol(actor=citizen.user, citizen=citizen, module_id=theirs.pk)
    assert ModuleEnrolment.all_tenants.count() == 0


def test_a_withdrawn_module_cannot_be_enrolled_in(citizen, module):
    module.status = "withdrawn"
    module.save()
    with pytest.raises(ValidationFailed):
        services.enrol(actor=citizen.user, citizen=citizen, module_id=module.pk)


def test_two_of_three_right_passes_the_lesson(citizen, enrolment, module):
    # given the first lesson
    lesson = module.lessons.get(key="en")
    # when the citizen answers with one wrong
    result = services.quiz_answer(actor=citizen.user, enrolment=enrolment, lesson_id=lesson.pk,
                                  answers=right_answers(lesson, wrong=1))
    # then the quiz is passed, the lesson read, the module not yet completed
    assert (result.score, result.total, result.needed, result.passed, result.module_completed) == (2, 3, 2, True,
                                                                                                   False)
    progress = LessonProgress.all_tenants.get()
    assert (progress.attempts, progress.best_score, progress.last_score) == (1, 2, 2)
    assert progress.read_at is not None and progress.passed_at is not None
    assert [a.is_right for a in result.answers] == [False, True, True]


def test_one_of_three_right_does_not_pass_and_the_best_score_is_kept(citizen, enrolment, module):
    lesson = module.lessons.get(key="en")
    services.quiz_answer(actor=citizen.user, enrolment=enrolment, lesson_id=lesson.pk,
                         answers=right_answers(lesson, wrong=1))
    result = services.quiz_answer(actor=citizen.user, enrolment=enrolment, lesson_id=lesson.pk,
                                  answers=right_answers(lesson, wrong=3))
    assert (result.score, result.passed) == (0, False)
    progress = LessonProgress.all_tenants.get()
    assert (progress.attempts, progress.best_score, progress.last_score) == (2, 2, 0)
    assert progress.passed_at is not None  # passed once stays passed


def test_passing_every_lesson_completes_the_module_and_tells_the_other_apps(citizen, enrolment, module,
                                                                            django_capture_on_commit_callbacks):
    from jobunivers.core import events

    seen = []
    events.subscribe(ModuleCompleted, seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            for lesson in module.lessons.order_by("position"):
                result = services.quiz_answer(actor=citizen.user, enrolment=enrolment, lesson_id=lesson.pk,
                                              answers=right_answers(lesson))
    finally:
        events.unsubscribe(ModuleCompleted, seen.append)
    enrolment.refresh_from_db()
    assert result.module_completed is True
    assert (enrolment.status, enrolment.completed_at is not None) == ("completed", True)
    assert seen == [ModuleCompleted(municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                                    module_key="proeve", enrolment_id=enrolment.pk, item_id=module.pk,
                                    title="Prøvemodul", completed_at=enrolment.completed_at)]


def test_completing_a_module_asks_the_citizen_about_it_once(citizen, enrolment, module,
                                                            django_capture_on_commit_callbacks):
    from jobunivers.feedback.models import PulseRequest

    # when the citizen passes both lessons (the wiring of config/events.py is live in tests)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in module.lessons.order_by("position"):
            services.quiz_answer(actor=citizen.user, enrolment=enrolment, lesson_id=lesson.pk,
                                 answers=right_answers(lesson))
    # then feedback has one question about the module
    assert list(PulseRequest.all_tenants.values_list("citizen_id", "kind", "interaction_key")) == [
        (citizen.pk, "learning", f"module:{module.pk}")]


@pytest.mark.parametrize("change", ["missing", "out_of_range", "text", "negative"])
def test_an_incomplete_or_unknown_answer_writes_nothing(citizen, enrolment, module, change):
    # given answers to the first lesson with one of them broken
    lesson = module.lessons.get(key="en")
    answers = right_answers(lesson)
    first = lesson.questions.order_by("position").first()
    key = f"question-{first.pk}"
    if change == "missing":
        del answers[key]
    else:
        answers[key] = {"out_of_range": "3", "text": "ja", "negative": "-1"}[change]
    # when sent, then the question is named in Danish and nothing is written
    with pytest.raises(ValidationFailed) as caught:
        services.quiz_answer(actor=citizen.user, enrolment=enrolment, lesson_id=lesson.pk, answers=answers)
    assert caught.value.messages == {key: ["Vælg et svar på spørgsmål 1."]}
    assert LessonProgress.all_tenants.count() == 0
    enrolment.refresh_from_db()
    assert enrolment.last_activity_at == enrolment.enrolled_at


def test_a_lesson_of_another_module_is_refused(citizen, enrolment):
    other = make_module("andet")
    lesson = other.lessons.first()
    with pytest.raises(ValidationFailed) as caught:
        services.quiz_answer(actor=citizen.user, enrolment=enrolment, lesson_id=lesson.pk,
                             answers=right_answers(lesson))
    assert caught.value.messages == {"__all__": ["Lektionen hører ikke til dette modul."]}
    assert LessonProgress.all_tenants.count() == 0


def test_after_leaving_the_quiz_is_refused_and_enrolling_again_keeps_the_progress(citizen, enrolment, module):
    lesson = module.lessons.get(key="en")
    services.quiz_answer(actor=citizen.user, enrolment=enrolment, lesson_id=lesson.pk, answers=right_answers(lesson))
    services.enrolment_withdraw(actor=citizen.user, enrolment=enrolment)
    with pytest.raises(ValidationFailed):
        services.quiz_answer(actor=citizen.user, enrolment=enrolment, lesson_id=lesson.pk,
                             answers=right_answers(lesson))
    again = services.enrol(actor=citizen.user, citizen=citizen, module_id=module.pk)
    assert (again.pk, again.status, again.withdrawn_at) == (enrolment.pk, "enrolled", None)
    assert LessonProgress.all_tenants.filter(enrolment=again, passed_at__isnull=False).count() == 1


def test_a_completed_module_cannot_be_left(citizen, enrolment, module):
    for lesson in module.lessons.all():
        services.quiz_answer(actor=citizen.user, enrolment=enrolment, lesson_id=lesson.pk,
                             answers=right_answers(lesson))
    with pytest.raises(ValidationFailed):
        services.enrolment_withdraw(actor=citizen.user, enrolment=enrolment)
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"


def test_only_the_citizen_answers_the_quiz(citizen, enrolment, module, member, municipality):
    adviser = member(Role.JOB_ADVISER, municipality)
    lesson = module.lessons.first()
    with pytest.raises(ValidationFailed):
        services.quiz_answer(actor=adviser, enrolment=enrolment, lesson_id=lesson.pk, answers=right_answers(lesson))
    assert LessonProgress.all_tenants.count() == 0


def test_sharing_is_the_citizens_choice(citizen, enrolment, member, municipality):
    services.sharing_set(actor=citizen.user, enrolment=enrolment, share=True)
    assert ModuleEnrolment.all_tenants.get().share_progress is True
    with pytest.raises(ValidationFailed):
        services.sharing_set(actor=member(Role.JOB_ADVISER, municipality), enrolment=enrolment, share=False)
    assert ModuleEnrolment.all_tenants.get().share_progress is True


# --- The plan (NAV-like status contract) ---------------------------------------------------------------

def _plan_item(enrolment):
    from jobunivers.citizens.models import PlanItem

    enrolment.refresh_from_db()
    return PlanItem.all_tenants.get(pk=enrolment.plan_item_id)


def test_enrolling_puts_a_planned_course_in_the_plan(citizen, enrolment, module):
    item = _plan_item(enrolment)
    assert (item.citizen_id, item.item_type, item.status, item.title, item.created_by_kind) == (
        citizen.pk, "course", "planned", "Prøvemodul", "citizen")
    assert item.link.endswith(f"/{citizen.municipality.slug}/min-side/laering/{module.pk}/")


def test_the_plan_item_follows_the_module_to_in_progress_and_done(citizen, enrolment, module):
    from jobunivers.citizens.models import PlanItemVersion

    first, second = module.lessons.order_by("position")
    services.quiz_answer(actor=citizen.user, enrolment=enrolment, lesson_id=first.pk, answers=right_answers(first))
    assert _plan_item(enrolment).status == "in_progress"
    services.quiz_answer(actor=citizen.user, enrolment=enrolment, lesson_id=second.pk, answers=right_answers(second))
    item = _plan_item(enrolment)
    assert item.status == "done"
    assert list(PlanItemVersion.all_tenants.filter(plan_item=item).order_by("version")
                .values_list("changed_by_kind", "snapshot__status")) == [
        ("citizen", "planned"), ("system", "in_progress"), ("system", "done")]


def test_leaving_cancels_the_plan_item_and_enrolling_again_plans_it_again(citizen, enrolment, module):
    services.enrolment_withdraw(actor=citizen.user, enrolment=enrolment)
    assert _plan_item(enrolment).status == "cancelled"
    services.enrol(actor=citizen.user, citizen=citizen, module_id=module.pk)
    assert _plan_item(enrolment).status == "planned"


def test_a_caseworker_suggests_a_module_and_the_citizen_starts_it(citizen, module, member, municipality):
    from jobunivers.audit.models import AccessLogEntry

    # given a job adviser who suggests the module with a note
    adviser = member(Role.JOB_ADVISER, municipality)
    suggested = services.module_suggest(actor=adviser, citizen=citizen, module_id=module.pk, note="Godt til dit CV.")
    item = _plan_item(suggested)
    # then the plan shows it as suggested by the job centre, and the change is access-logged
    assert (suggested.status, item.status, item.created_by_kind) == ("suggested", "suggested", "staff")
    assert item.description.startswith("Godt til dit CV.")
    assert AccessLogEntry.all_tenants.filter(actor_user_id=adviser.pk, citizen_id=citizen.pk,
                                             what="learning").exists()
    # when the citizen starts it, the same item moves to planned
    started = services.enrol(actor=citizen.user, citizen=citizen, module_id=module.pk)
    assert (started.pk, started.status, _plan_item(started).pk, _plan_item(started).status) == (
        suggested.pk, "enrolled", item.pk, "planned")


def test_the_citizen_says_no_to_a_suggestion(citizen, module, member, municipality):
    suggested = services.module_suggest(actor=member(Role.PERSONAL_CONSULTANT, municipality), citizen=citizen,
                                        module_id=module.pk)
    services.enrolment_withdraw(actor=citizen.user, enrolment=suggested)
    assert (ModuleEnrolment.all_tenants.get().status, _plan_item(suggested).status) == ("withdrawn", "cancelled")


def test_a_suggestion_is_refused_when_the_module_is_already_in_the_plan(citizen, enrolment, module, member,
                                                                         municipality):
    from jobunivers.citizens.models import PlanItem

    with pytest.raises(ValidationFailed) as caught:
        services.module_suggest(actor=member(Role.JOB_ADVISER, municipality), citizen=citizen, module_id=module.pk)
    assert caught.value.messages == {"__all__": ["Borgeren har allerede dette modul i sin plan."]}
    assert PlanItem.all_tenants.count() == 1


@pytest.mark.parametrize("role", [Role.JOB_JOURNEY_ASSISTANT, Role.MUNICIPALITY_ADMIN])
def test_only_caseworkers_suggest_modules(citizen, module, member, municipality, role):
    from jobunivers.citizens.models import PlanItem

    with pytest.raises(ValidationFailed):
        services.module_suggest(actor=member(role, municipality), citizen=citizen, module_id=module.pk)
    assert (ModuleEnrolment.all_tenants.count(), PlanItem.all_tenants.count()) == (0, 0)


def test_a_too_long_note_writes_nothing(citizen, module, member, municipality):
    from jobunivers.citizens.models import PlanItem

    with pytest.raises(ValidationFailed) as caught:
        services.module_suggest(actor=member(Role.JOB_ADVISER, municipality), citizen=citizen, module_id=module.pk,
                                note="x" * 501)
    assert caught.value.messages == {"note": ["Skriv højst 500 tegn."]}
    assert (ModuleEnrolment.all_tenants.count(), PlanItem.all_tenants.count()) == (0, 0)


def test_a_citizen_cannot_put_their_own_item_in_suggested(citizen):
    from jobunivers.citizens import services as citizen_services
    from jobunivers.citizens.models import PlanItem

    with pytest.raises(ValidationFailed):
        citizen_services.plan_item_create(actor=citizen.user, citizen=citizen, item_type="own_activity",
                                          title="Løbetur", created_by_kind="citizen", status="suggested")
    item = citizen_services.plan_item_create(actor=citizen.user, citizen=citizen, item_type="own_activity",
                                             title="Løbetur", created_by_kind="citizen")
    with pytest.raises(ValidationFailed):
        citizen_services.plan_item_update(actor=citizen.user, plan_item=item, expected_version=1, status="suggested")
    assert list(PlanItem.all_tenants.values_list("status", flat=True)) == ["planned"]
