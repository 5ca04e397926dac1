"""Microlearning at phone width (390 px): a citizen opens Læring, enrols in a module, reads a lesson, answers
its quiz (wrongly once, then right), completes the module and sees it done in their plan. axe-core runs on
every page."""

import pytest

from jobunivers.learning.models import ModuleEnrolment
from jobunivers.learning.tests.helpers import citizen_of, make_module
from jobunivers.tenancy.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _answer(page, lesson, *, right: bool) -> None:
    for question in lesson.questions.order_by("position"):
        choice = question.correct if right else (question.correct + 1) % len(question.choices_da)
        page.get_by_role("group", name=f"{question.position}. {question.text_da}").get_by_label(
            question.choices_da[choice], exact=True).check()


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_citizen_completes_a_module_and_sees_it_in_the_plan(page, visit, axe, sign_in_as, municipality, member):
    # given a citizen and a module of two lessons
    from django.utils import timezone

    from jobunivers.citizens.models import Citizen
    from jobunivers.learning.tests.helpers import lesson

    page.set_viewport_size(PHONE)
    user = member(Role.CITIZEN, municipality, first_name="Mette", last_name="Hansen")
    citizen = citizen_of(municipality, user)
    Citizen.all_tenants.filter(pk=citizen.pk).update(welcome_seen_at=timezone.now(),
                                                      onboarding_completed_at=timezone.now())
    module = make_module("jobsamtalen-kort", title="Jobsamtalen på 10 minutter",
                         lessons=[lesson("forbered", title="Forbered dig"), lesson("svar", title="Svar med eksempler",
                                                                                  questions=2)])
    first, second = module.lessons.order_by("position")
    prefix = f"/{municipality.slug}"

    # when they open Læring and the module
    sign_in_as(page, user, municipality)
    assert visit(page, f"{prefix}/min-side/laering/").status == 200
    axe(page)
    _fits(page)
    page.screenshot(path="/tmp/learning-catalogue-390.png", full_page=True)
    page.get_by_role("link", name="Jobsamtalen på 10 minutter").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)

    # and enrol, sharing their progress with the job centre
    page.get_by_label("Jobcentret må se, hvilke lektioner jeg består, og mine quizresultater").check()
    page.get_by_role("button", name="Tilmeld dig").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    _fits(page)
    assert page.get_by_text("Du er tilmeldt. Start med den første lektion.").count() == 1
    assert page.get_by_text("0 af 2 lektioner bestået").count() == 1
    page.screenshot(path="/tmp/learning-module-390.png", full_page=True)

    # and read the first lesson and answer its quiz wrongly
    page.get_by_role("link", name="Start den første lektion").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    _fits(page)
    assert page.get_by_role("heading", name="Forbered dig", level=1).count() == 1
    _answer(page, first, right=False)
    page.get_by_role("button", name="Send svar").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    assert page.get_by_text("Du svarede rigtigt på 0 af 3 spørgsmål.").count() == 1
    assert page.get_by_text("Du skal have 2 rigtige for at bestå.", exact=False).count() == 1
    page.screenshot(path="/tmp/learning-quiz-failed-390.png", full_page=True)

    # then right, and the second lesson right
    _answer(page, first, right=True)
    page.get_by_role("button", name="Svar igen").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_text("Du svarede rigtigt på 3 af 3 spørgsmål.").count() == 1
    page.get_by_role("link", name="Næste lektion: Svar med eksempler").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    _answer(page, second, right=True)
    page.get_by_role("button", name="Send svar").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    _fits(page)
    assert page.get_by_text("Du har gennemført modulet. Godt gået!").count() == 1
    page.screenshot(path="/tmp/learning-quiz-passed-390.png", full_page=True)
    assert ModuleEnrolment.all_tenants.get().status == "completed"

    # and they see it done in their plan
    assert visit(page, f"{prefix}/min-side/plan/").status == 200
    axe(page)
    _fits(page)
    row = page.get_by_role("row").filter(has_text="Jobsamtalen på 10 minutter")
    assert row.get_by_role("cell", name="Udført").count() == 1
    page.screenshot(path="/tmp/learning-plan-390.png", full_page=True)
