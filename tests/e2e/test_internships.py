"""Internships (virksomhedspraktik) at phone width (390 px): the employer posts a place through the form (and sees
a Danish error first), the citizen who fits sees it, applies with a motivation and the fields to share, the
caseworker approves it, and the citizen sees the internship in the plan. axe-core runs on every page;
screenshots in /tmp/internships-*.png."""

import datetime
import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_employer_posts_citizen_applies_caseworker_approves_and_the_plan_shows_it(
        page, browser, live_server, visit, axe, sign_in_as, municipality, member):
    from django.utils import timezone

    from jobunivers.citizens.models import Citizen, PlanItem
    from jobunivers.internships.models import Application, Place, Suggestion
    from jobunivers.internships.tests.helpers import carpenter, employer, place, seeker
    from jobunivers.tenancy.roles import Role

    # given a carpenter in Aarhus, an employer, and a job adviser in Aarhus
    place("8000")
    occupation = carpenter()
    citizen = seeker(municipality, occupation, first_name="Sara", last_name="Jensen")
    Citizen.all_tenants.filter(pk=citizen.pk).update(welcome_seen_at=timezone.now(),
                                                      onboarding_completed_at=timezone.now())
    boss, _membership = employer("Byggesen Tømrer ApS")
    adviser = member(Role.JOB_ADVISER, municipality, first_name="Anne", last_name="Rådgiver")
    start = timezone.localdate() + datetime.timedelta(days=8)
    prefix = f"/{municipality.slug}"

    # when the employer, on a phone, posts an internship place (first with the hours out of range)
    employer_context = browser.new_context(base_url=live_server.url, locale="da-DK", viewport=PHONE)
    employer_page = employer_context.new_page()
    sign_in_as(employer_page, boss)
    assert visit(employer_page, "/employer/praktik/ny/").status == 200
    _fits(employer_page)
    form = {"title": "Tømrerhjælper", "occupation": "tømrer", "starts_on": start.isoformat(),
            "ends_on": (start + datetime.timedelta(days=27)).isoformat(), "hours_per_week": "40",
            "address": "Værkstedsvej 4", "postcode": "8000", "description": "Renovering af etageboliger.",
            "places": "1"}
    for name, value in form.items():
        employer_page.fill(f"[name={name}]", value)
    employer_page.get_by_role("button", name="Slå praktikpladsen op").click()
    employer_page.wait_for_load_state("domcontentloaded")
    assert employer_page.get_by_text("Timer om ugen skal være et helt tal fra 1 til 37.").is_visible()
    axe(employer_page)
    _fits(employer_page)
    employer_page.screenshot(path="/tmp/internships-employer-error-390.png", full_page=True)
    assert Place.objects.count() == 0
    employer_page.fill("[name=hours_per_week]", "25")
    employer_page.get_by_role("button", name="Slå praktikpladsen op").click()
    employer_page.wait_for_load_state("domcontentloaded")
    assert employer_page.get_by_text("Praktikpladsen er slået op.").is_visible()
    axe(employer_page)
    _fits(employer_page)
    employer_page.screenshot(path="/tmp/internships-employer-place-390.png", full_page=True)
    internship = Place.objects.get()
    # (the offering task ran after commit: the carpenter has the card)
    assert list(Suggestion.all_tenants.values_list("citizen_id", flat=True)) == [citizen.pk]

    # and the citizen sees it on her start page and in her internships, and applies
    page.set_viewport_size(PHONE)
    sign_in_as(page, citizen.user, municipality)
    assert visit(page, f"{prefix}/").status == 200
    assert page.get_by_text("En praktikplads passer til dig.").is_visible()
    page.screenshot(path="/tmp/internships-home-390.png", full_page=True)
    assert visit(page, f"{prefix}/min-side/praktik/").status == 200
    _fits(page)
    page.screenshot(path="/tmp/internships-cards-390.png", full_page=True)
    page.get_by_role("link", name=re.compile(r"^Læs mere, og søg\s*:\s*Tømrerhjælper$")).click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    _fits(page)
    page.get_by_label("Hvorfor vil du gerne i denne praktik?").fill("Jeg vil gerne lære renovering.")
    page.screenshot(path="/tmp/internships-apply-390.png", full_page=True)
    page.get_by_role("button", name="Send ansøgningen").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_text("Din ansøgning er sendt.", exact=False).is_visible()
    axe(page)
    _fits(page)
    application = Application.all_tenants.get()
    assert application.shared == {"name": "Sara Jensen", "occupations": ["tømrer"],
                                  "experience": ["Tømrerlærling, Byg & Co (2019–2024)"]}

    # and the caseworker approves it from the worklist
    staff_context = browser.new_context(base_url=live_server.url, locale="da-DK", viewport=PHONE)
    staff_page = staff_context.new_page()
    sign_in_as(staff_page, adviser, municipality)
    assert visit(staff_page, f"{prefix}/medarbejder/praktik/").status == 200
    staff_page.get_by_role("link", name="Sara Jensen").click()
    staff_page.wait_for_load_state("domcontentloaded")
    axe(staff_page)
    staff_page.get_by_role("button", name="Godkend, og sæt praktikken i planen").click()
    staff_page.wait_for_load_state("domcontentloaded")
    assert staff_page.get_by_text("Praktikken er godkendt og sat i borgerens plan.", exact=False).is_visible()
    axe(staff_page)
    staff_page.screenshot(path="/tmp/internships-staff-approved-390.png", full_page=True)
    staff_context.close()

    # then the citizen sees the internship in her plan
    assert visit(page, f"{prefix}/min-side/plan/").status == 200
    assert page.get_by_text("Praktik: Tømrerhjælper hos Byggesen Tømrer ApS").first.is_visible()
    _fits(page)
    page.screenshot(path="/tmp/internships-plan-390.png", full_page=True)
    assert PlanItem.all_tenants.get(citizen=citizen).status == "planned"

    # and the employer sees the applicant, approved, with what she shared
    assert visit(employer_page, f"/employer/praktik/{internship.pk}/").status == 200
    assert employer_page.get_by_text("Jeg vil gerne lære renovering.").is_visible()
    _fits(employer_page)
    employer_page.screenshot(path="/tmp/internships-employer-applicant-390.png", full_page=True)
    employer_context.close()
