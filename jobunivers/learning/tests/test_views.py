"""The citizen's pages: the catalogue, a module, a lesson with its quiz and the Danish result; reads write
nothing; bad answers get a Danish error and write nothing; other roles get 404."""

import pytest

from jobunivers.core.testing import client_for, murl
from jobunivers.learning.content import load_modules
from jobunivers.learning.models import LessonProgress, ModuleEnrolment
from jobunivers.learning.services import enrol, modules_import
from jobunivers.learning.tests.helpers import citizen_of, make_module, right_answers
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(world):
    return citizen_of(world.home, world.users["citizen"])


@pytest.fixture
def module():
    return make_module()


def test_the_catalogue_lists_the_national_library_and_the_municipalitys_own_modules(citizen, world,
                                                                                       django_assert_max_num_queries):
    # given the national library and one local module in each municipality
    modules_import(modules=load_modules())
    make_module("lokal-a", municipality=world.home, title="Jobcaféen i vores kommune")
    make_module("lokal-b", municipality=world.other, title="Den anden kommunes modul")
    client = client_for(citizen.user)
    # when the citizen opens the catalogue
    with django_assert_max_num_queries(16):
        page = client.get(murl(world.home, "learning:catalogue")).content.decode()
    # then they see the eleven modules they may follow, in Danish, and the local one is marked
    assert page.count('class="card jobunivers-module"') == 11
    assert "Dit CV" in page and "Jobsamtalen hos arbejdsgiveren" in page
    assert "Jobcaféen i vores kommune" in page and "Fra dit jobcenter" in page
    assert "Den anden kommunes modul" not in page


def test_enrolling_on_the_module_page(citizen, world, module):
    client = client_for(citizen.user)
    response = client.post(murl(world.home, "learning:module", module_id=module.pk), {"share_progress": "on"},
                           follow=True)
    page = response.content.decode()
    assert "Du er tilmeldt. Start med den første lektion." in page
    assert "0 af 2 lektioner bestået" in page
    enrolment = ModuleEnrolment.all_tenants.get()
    assert (enrolment.citizen_id, enrolment.share_progress) == (citizen.pk, True)


def test_reading_a_lesson_writes_nothing(citizen, world, module):
    enrol(actor=citizen.user, citizen=citizen, module_id=module.pk)
    lesson = module.lessons.get(key="en")
    before = ModuleEnrolment.all_tenants.get().updated_at
    page = client_for(citizen.user).get(murl(world.home, "learning:lesson", module_id=module.pk,
                                             lesson_id=lesson.pk)).content.decode()
    assert "<li>punkt et</li>" in page and "Lektion 1 af 2" in page and "Spørgsmål 1 i en?" in page
    assert LessonProgress.all_tenants.count() == 0
    assert ModuleEnrolment.all_tenants.get().updated_at == before


def test_the_quiz_result_is_shown_in_danish_with_explanations(citizen, world, module):
    enrol(actor=citizen.user, citizen=citizen, module_id=module.pk)
    lesson = module.lessons.get(key="en")
    url = murl(world.home, "learning:lesson", module_id=module.pk, lesson_id=lesson.pk)
    response = client_for(citizen.user).post(url, right_answers(lesson, wrong=2), follow=True)
    page = response.content.decode()
    assert "Ikke bestået endnu" in page
    assert "Du svarede rigtigt på 1 af 3 spørgsmål." in page
    assert "Du skal have 2 rigtige for at bestå." in page
    assert page.count("Ikke rigtigt.") == 2 and page.count("<strong>Rigtigt.</strong>") == 1


def test_completing_the_last_lesson_says_so(citizen, world, module):
    enrolment = enrol(actor=citizen.user, citizen=citizen, module_id=module.pk)
    client = client_for(citizen.user)
    first, second = module.lessons.order_by("position")
    from jobunivers.learning.services import quiz_answer

    quiz_answer(actor=citizen.user, enrolment=enrolment, lesson_id=first.pk, answers=right_answers(first))
    page = client.post(murl(world.home, "learning:lesson", module_id=module.pk, lesson_id=second.pk),
                       right_answers(second), follow=True).content.decode()
    assert "Du har gennemført modulet. Godt gået!" in page
    assert "Du svarede rigtigt på 3 af 3 spørgsmål." in page


def test_a_missing_answer_gets_a_danish_error_and_writes_nothing(citizen, world, module):
    enrol(actor=citizen.user, citizen=citizen, module_id=module.pk)
    lesson = module.lessons.get(key="en")
    answers = right_answers(lesson)
    answers.pop(next(iter(answers)))
    response = client_for(citizen.user).post(
        murl(world.home, "learning:lesson", module_id=module.pk, lesson_id=lesson.pk), answers)
    page = response.content.decode()
    assert response.status_code == 422
    assert "Vælg et svar på spørgsmål 1." in page and "Svar på alle spørgsmål, før du sender." in page
    assert LessonProgress.all_tenants.count() == 0


def test_the_quiz_before_enrolling_sends_the_citizen_to_enrol(citizen, world, module):
    lesson = module.lessons.first()
    response = client_for(citizen.user).post(
        murl(world.home, "learning:lesson", module_id=module.pk, lesson_id=lesson.pk), right_answers(lesson),
        follow=True)
    assert "Tilmeld dig modulet, før du svarer på quizzen." in response.content.decode()
    assert LessonProgress.all_tenants.count() == 0


def test_leaving_and_sharing(citizen, world, module):
    enrol(actor=citizen.user, citizen=citizen, module_id=module.pk)
    client = client_for(citizen.user)
    page = client.post(murl(world.home, "learning:sharing", module_id=module.pk), {"share_progress": "on"},
                       follow=True).content.decode()
    assert "Jobcentret kan nu se dine lektioner og quizresultater i dette modul." in page
    page = client.post(murl(world.home, "learning:leave", module_id=module.pk), follow=True).content.decode()
    assert "Du har afmeldt dig modulet." in page
    assert ModuleEnrolment.all_tenants.values_list("status", "share_progress").get() == ("withdrawn", True)


@pytest.mark.parametrize("role", [Role.JOB_ADVISER, Role.MUNICIPALITY_ADMIN])
def test_staff_have_no_citizen_pages_here(world, module, role):
    response = client_for(world.users[role]).get(murl(world.home, "learning:module", module_id=module.pk))
    assert response.status_code == 404


# --- Staff ------------------------------------------------------------------------------------------

def test_staff_see_the_status_always_and_the_lessons_only_when_shared(citizen, world, module):
    from jobunivers.learning.services import quiz_answer

    # given one module shared and one not, with the first lesson passed in each
    shared = enrol(actor=citizen.user, citizen=citizen, module_id=module.pk, share_progress=True)
    private_module = make_module("privat", title="Privat modul")
    private = enrol(actor=citizen.user, citizen=citizen, module_id=private_module.pk)
    for enrolment, mod in ((shared, module), (private, private_module)):
        first = mod.lessons.order_by("position").first()
        quiz_answer(actor=citizen.user, enrolment=enrolment, lesson_id=first.pk, answers=right_answers(first, wrong=1))
    # when a job adviser opens the citizen's learning page
    page = client_for(world.users[Role.JOB_ADVISER]).get(
        murl(world.home, "learning:staff_citizen", citizen_id=citizen.pk)).content.decode()
    # then both modules show with their status, lessons and scores only for the shared one
    assert page.count('class="card jobunivers-staff-module"') == 2
    assert "1 af 2 lektioner bestået" in page
    assert "Lektion en: bestået, bedste resultat 2 af 3" in page
    assert page.count("Borgeren deler ikke lektioner og quizresultater for dette modul.") == 1


def test_a_caseworker_suggests_a_module_on_the_page(citizen, world, module):
    from jobunivers.citizens.models import PlanItem

    client = client_for(world.users[Role.JOB_ADVISER])
    url = murl(world.home, "learning:staff_citizen", citizen_id=citizen.pk)
    page = client.post(url, {"module": str(module.pk), "note": "Prøv den her."}, follow=True).content.decode()
    assert "Modulet står nu i borgerens plan som et forslag." in page
    assert PlanItem.all_tenants.values_list("status", "created_by_kind").get() == ("suggested", "staff")
    # and the citizen sees it in their plan as a suggestion
    plan = client_for(citizen.user).get(murl(world.home, "citizens:plan")).content.decode()
    assert "Forslag til dig" in plan and "Prøvemodul" in plan and "Foreslået" in plan


def test_a_bad_suggestion_gets_a_danish_error_and_writes_nothing(citizen, world, module):
    from jobunivers.citizens.models import PlanItem

    response = client_for(world.users[Role.JOB_ADVISER]).post(
        murl(world.home, "learning:staff_citizen", citizen_id=citizen.pk), {"module": "nej", "note": "x"})
    assert response.status_code == 422
    assert "Modulet findes ikke eller er ikke længere tilgængeligt." in response.content.decode()
    assert (PlanItem.all_tenants.count(), ModuleEnrolment.all_tenants.count()) == (0, 0)


def test_the_citizen_sees_the_completed_module_as_done_in_the_plan(citizen, world, module):
    from jobunivers.learning.services import quiz_answer

    enrolment = enrol(actor=citizen.user, citizen=citizen, module_id=module.pk)
    for lesson in module.lessons.all():
        quiz_answer(actor=citizen.user, enrolment=enrolment, lesson_id=lesson.pk, answers=right_answers(lesson))
    plan = client_for(citizen.user).get(murl(world.home, "citizens:plan")).content.decode()
    done = plan.split('id="closed-heading"')[1]
    assert "Prøvemodul" in done and "Udført" in done
