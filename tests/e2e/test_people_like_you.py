"""What worked for people like you at phone width (390 px): a citizen whose profile has figures sees the offer
on the start page, says yes, sees "Andre med en profil som din fik job som …" and "… brugte dette kursus", and
opens "Hvorfor ser jeg dette?". axe-core runs on every state; screenshots in /tmp/people-like-you-*.png."""

import datetime

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_consenting_citizen_sees_what_worked_for_people_like_them(page, visit, axe, sign_in_as, municipality,
                                                                     other_municipality):
    from jobunivers.analytics.peoplelikeyou import people_like_you_build
    from jobunivers.analytics.tests.test_people_like_you import found_job, seeker
    from jobunivers.learning.models import ModuleEnrolment
    from jobunivers.learning.tests.helpers import make_module
    from jobunivers.taxonomy.tests.factories import IscoGroupFactory, OccupationFactory

    # given 20 people across two municipalities who sought software development, found a job as developers,
    # and had started the same national module before it
    IscoGroupFactory(code="2512", preferred_label="Software developers", preferred_label_da="Softwareudviklere")
    developer = OccupationFactory(preferred_label="software developer", preferred_label_da="softwareudvikler",
                                  isco_code="2512", esco_code="2512.4")
    module = make_module("cv", title="Skriv et godt CV")
    before = datetime.datetime(2026, 9, 1, 10, tzinfo=datetime.UTC)
    for number in range(20):
        person = seeker(municipality if number % 2 else other_municipality, developer)
        found_job(person, developer)
        ModuleEnrolment.all_tenants.create(municipality=person.municipality, citizen=person, module=module,
                                           enrolled_at=before, last_activity_at=before)
    people_like_you_build(today=datetime.date(2026, 12, 5))
    me = seeker(municipality, developer)
    prefix = f"/{municipality.slug}"

    # when the citizen opens the start page on a phone
    page.set_viewport_size(PHONE)
    sign_in_as(page, me.user, municipality)
    assert visit(page, f"{prefix}/min-side/").status == 200
    offer = page.get_by_test_id("people-like-you-offer")
    assert offer.is_visible()
    assert "Vi bruger den første stilling, du søger i din profil" in offer.inner_text()
    _fits(page)
    page.screenshot(path="/tmp/people-like-you-offer-390.png", full_page=True)

    # and says yes
    with page.expect_navigation():
        offer.get_by_role("button", name="Ja, vis mig det").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    slot = page.get_by_test_id("people-like-you")
    assert slot.is_visible()
    assert page.get_by_test_id("people-like-you-occupations").inner_text() == "softwareudvikler (20 personer)"
    assert page.get_by_test_id("people-like-you-courses").inner_text() == "Skriv et godt CV (20 personer)"
    assert "Andre med en profil som din fik job som" in slot.inner_text()

    # then "Hvorfor ser jeg dette?" explains who "like you" are, how many, when, and that it is no advice
    slot.get_by_text("Hvorfor ser jeg dette?").click()
    why = slot.locator(".details-text")
    assert why.is_visible()
    text = why.inner_text()
    assert "Softwareudviklere" in text
    assert "Tallene kommer fra 20 personer i hele landet, som fik job mellem 5. december 2024 og 5. december 2026" in text
    assert "Det er ikke et råd om at vælge et bestemt job eller kursus." in text
    axe(page)
    _fits(page)
    page.screenshot(path="/tmp/people-like-you-figures-390.png", full_page=True)
