"""Outcomes and effect at phone width (390 px): a citizen says "Jeg har fået job" and sees it beside the
register's row; a job adviser reads the effect of a service with its evidence label, curve and tables.
axe-core runs on every page."""

import datetime

import pytest
from django.utils import timezone

from jobunivers.analytics.models import UnemploymentSpell
from jobunivers.analytics.tests.factories import SpellFactory
from jobunivers.analytics.tests.helpers import cohort, exposure_source, service
from jobunivers.citizens.models import Citizen
from jobunivers.taxonomy.tests.factories import OccupationFactory
from jobunivers.tenancy.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_citizen_says_they_got_a_job(page, visit, axe, sign_in_as, municipality, member):
    # given a citizen registered as unemployed on 5 January with an open spell from the register
    page.set_viewport_size(PHONE)
    user = member(Role.CITIZEN, municipality, first_name="Mette", last_name="Hansen")
    citizen = Citizen.all_tenants.get(user=user)
    Citizen.all_tenants.filter(pk=citizen.pk).update(registered_on=datetime.date(2026, 1, 5),
                                                      welcome_seen_at=timezone.now(),
                                                      onboarding_completed_at=timezone.now())
    SpellFactory(citizen=citizen, reference="DFDG-2026-000191")
    prefix = f"/{municipality.slug}"
    sign_in_as(page, user, municipality)

    warehouse = OccupationFactory(preferred_label="warehouse worker", preferred_label_da="lagermedarbejder",
                                  isco_code="9333")
    # when they open "Jeg har fået job", give today as their first day, find the job's occupation by a
    # word and choose it (the page offers a few radio buttons, not a list of every occupation)
    assert visit(page, f"{prefix}/min-side/job-fundet/").status == 200
    axe(page)
    _fits(page)
    assert page.locator("option").count() == 0
    page.get_by_label("Den dag du starter i jobbet").fill(timezone.localdate().isoformat())
    page.get_by_label("Find stillingen").fill("lager")
    page.get_by_role("button", name="Find stillingen").click()
    page.wait_for_load_state("networkidle")
    axe(page)
    _fits(page)
    page.screenshot(path="/tmp/analytics-own-job-find-390.png", full_page=True)
    page.get_by_label("lagermedarbejder").check()
    page.get_by_role("button", name="Jeg har fået job").click()
    page.wait_for_load_state("networkidle")

    # then they are congratulated and see their report beside the register's row, each labelled
    axe(page)
    _fits(page)
    assert page.get_by_text("Tillykke! Vi har noteret, at du starter i job.").count() == 1
    assert page.locator('[data-source="citizen"]').get_by_text("Meldt af borgeren").count() == 1
    assert page.locator('[data-source="register"]').get_by_text("Register (indlæst)").count() == 1
    assert list(UnemploymentSpell.all_tenants.filter(source="citizen").values_list("exit_reason", "job_occupation_id")) == [
        ("job", warehouse.pk)]
    assert page.get_by_text("Jobbet: lagermedarbejder").count() == 1
    page.screenshot(path="/tmp/analytics-own-job-390.png", full_page=True)


def test_an_adviser_reads_the_effect_of_a_service(page, visit, axe, sign_in_as, municipality, member):
    # given 30 users of a course who found jobs sooner than 45 alike non-users
    page.set_viewport_size(PHONE)
    uses = cohort(municipality, users=30, non_users=45, today=timezone.localdate())
    adviser = member(Role.JOB_ADVISER, municipality, first_name="Aisha", last_name="Johansen")
    prefix = f"/{municipality.slug}"
    sign_in_as(page, adviser, municipality)
    with exposure_source("e2e", service("Jobsøgningskursus", uses)):
        # when the adviser opens the list of services and the course
        assert visit(page, f"{prefix}/medarbejder/effekt/").status == 200
        axe(page)
        _fits(page)
        page.get_by_role("link", name="Jobsøgningskursus").click()
        page.wait_for_load_state("domcontentloaded")
        # then the result carries its evidence label, the chart and its tables
        axe(page)
        _fits(page)
        assert page.locator('[data-testid="evidence"]').get_attribute("data-evidence") == "matched"
        assert page.get_by_text("Evidensens styrke: Matchet sammenligning").count() == 1
        assert page.locator("svg[role=img]").count() == 1
        assert page.locator('[data-testid="differences"] tbody tr').count() == 2
        page.screenshot(path="/tmp/analytics-effect-390.png", full_page=True)


def test_an_assistant_reads_the_dashboard_and_the_national_comparison(page, visit, axe, sign_in_as, municipality,
                                                                     member):
    # given 30 users and 45 non-users of a course, with register spells and outcomes
    page.set_viewport_size(PHONE)
    uses = cohort(municipality, users=30, non_users=45, today=timezone.localdate())
    assistant = member(Role.JOB_JOURNEY_ASSISTANT, municipality, first_name="Jonas", last_name="Berg")
    prefix = f"/{municipality.slug}"
    sign_in_as(page, assistant, municipality)
    with exposure_source("e2e", service("Jobsøgningskursus", uses)):
        # when the assistant opens the dashboard
        assert visit(page, f"{prefix}/medarbejder/resultater/").status == 200
        axe(page)
        _fits(page)
        # then the charts come with their tables and the course's use is listed
        assert page.locator("svg[role=img]").count() == 2
        assert page.locator('[data-testid="shares"] tbody tr').count() == 3
        assert page.locator('[data-service="test-service"] td').first.inner_text() == "30"
        # and the page says when the figures were computed (the first visit computed them)
        assert page.get_by_test_id("freshness").inner_text().startswith("Tallene er opdateret ")
        assert " kl. " in page.get_by_test_id("freshness").inner_text()
        page.screenshot(path="/tmp/analytics-dashboard-390.png", full_page=True)
        # when the assistant asks for new figures
        page.get_by_role("button", name="Opdater tallene nu").click()
        page.wait_for_load_state("domcontentloaded")
        # then they are back on the dashboard, told that the update is under way
        assert page.get_by_role("status").inner_text().startswith("Tallene bliver opdateret.")
        assert page.locator('[data-service="test-service"] td').first.inner_text() == "30"
        axe(page)
        _fits(page)
        page.screenshot(path="/tmp/analytics-dashboard-refresh-390.png", full_page=True)
    # and the national comparison
    page.get_by_role("link", name="Sammenlign med de andre kommuner").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    _fits(page)
    assert page.locator(f'[data-municipality="{municipality.code}"]').count() == 1
    page.screenshot(path="/tmp/analytics-national-390.png", full_page=True)
