"""The personal diagnosis at phone width (390 px): a carpenter in Aarhus with few jobs nearby reads the
diagnosis on the start page, opens "Hvorfor ser jeg dette?", marks a step done and opens the market
around them. axe-core runs on every page."""

import pytest

from jobunivers.advice.models import StepResponse
from jobunivers.advice.tests.helpers import (
    RANDERS,
    complete,
    log_entry,
    occupation,
    postings,
    seeker,
    store_diagnoses,
)
from jobunivers.tenancy.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_a_citizen_reads_the_diagnosis_marks_a_step_and_opens_the_market(page, visit, axe, sign_in_as,
                                                                          municipality, member):
    # given a carpenter with 2 open jobs within 25 km, 10 more in Randers and a neighbouring occupation with 6
    page.set_viewport_size(PHONE)
    carpenter, joiner = occupation("Tømrer"), occupation("Bygningssnedker")
    user = member(Role.CITIZEN, municipality, first_name="Mette", last_name="Hansen")
    citizen = seeker(municipality, user=user, occupations=[carpenter])
    from django.utils import timezone

    from jobunivers.citizens.models import Citizen

    Citizen.all_tenants.filter(pk=citizen.pk).update(welcome_seen_at=timezone.now(),
                                                      onboarding_completed_at=timezone.now())
    complete(citizen)
    log_entry(citizen, days_ago=2)
    postings(2, carpenter, employer="Aarhus Byg")
    postings(10, carpenter, at=RANDERS, employer="Randers Byg")
    postings(6, joiner, employer="Snedkeriet")
    store_diagnoses([citizen.pk])
    prefix = f"/{municipality.slug}"

    # when they open their page
    sign_in_as(page, user, municipality)
    assert visit(page, f"{prefix}/min-side/").status == 200
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    sentence = page.locator(".jobunivers-diagnosis-sentence").first.inner_text()
    assert sentence == ("Der er få job som Tømrer tæt på dig — overvej at søge bredere geografisk eller som "
                        "Bygningssnedker.")
    page.screenshot(path="/tmp/advice-start-390.png", full_page=True)

    # and open "why"
    page.get_by_role("link", name="Hvorfor ser jeg dette? Hele diagnosen, kriterium for kriterium").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.get_by_text("Åbne job i dine stillingsbetegnelser inden for 25 km: 2 (færre end 5 tæller som få).").count() == 1
    page.screenshot(path="/tmp/advice-why-390.png", full_page=True)

    # and mark "search wider" done
    page.get_by_role("button", name='Markér "Se job som Tømrer inden for 50 km" som udført').click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    assert list(StepResponse.all_tenants.values_list("module", "step", "answer")) == [
        ("few_jobs_nearby", "search_wider", "done")]
    assert page.get_by_text("Se job som Tømrer inden for 50 km: udført").count() == 1

    # and open the market around them
    page.get_by_role("link", name="Markedet omkring dig").first.click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator("svg[role=img]").count() == 3
    assert page.get_by_role("cell", name="færre end 5").count() >= 1
    page.screenshot(path="/tmp/advice-market-390.png", full_page=True)
