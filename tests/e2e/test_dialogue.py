"""Messages on a phone (issue 15): at 390 px the citizen writes to the job centre, a job adviser
answers from the team inbox, and the citizen reads the answer; every page passes axe-core, fits the
screen and has one h1."""

import pytest

from jobunivers.tenancy.roles import Role
from tests.e2e.screens import PHONE, horizontal_overflow, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _check(page, axe) -> None:
    assert page.locator("h1").count() == 1
    assert horizontal_overflow(page) == 0
    axe(page)


def test_citizen_writes_staff_answer_and_the_citizen_reads_it_on_a_phone(page, visit, axe, sign_in_as,
                                                                          municipality, member):
    citizen = member(Role.CITIZEN, municipality, first_name="Nadia", last_name="Nielsen")
    adviser = member(Role.JOB_ADVISER, municipality, first_name="Aisha", last_name="Johansen")
    prefix = f"/{municipality.slug}"
    page.set_viewport_size(PHONE)

    # the citizen writes a new message
    sign_in_as(page, citizen, municipality)
    visit(page, f"{prefix}/dialog/")
    _check(page, axe)
    page.get_by_role("link", name="Skriv en ny besked").click()
    page.wait_for_load_state("domcontentloaded")
    _check(page, axe)
    page.get_by_label("Hvad drejer det sig om?").fill("Spørgsmål om kursus")
    page.get_by_label("Din besked").fill("Kan jeg tage et truckkørekort?")
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("h1").inner_text() == "Spørgsmål om kursus"
    assert "Venter på svar fra jobcentret" in page.content()
    _check(page, axe)
    screenshot(page, "dialogue-citizen-sent-390")

    # a job adviser answers from the team inbox
    sign_in_as(page, adviser, municipality)
    visit(page, f"{prefix}/medarbejder/dialog/?venter=1")
    _check(page, axe)
    page.get_by_role("link", name="Spørgsmål om kursus").click()
    page.wait_for_load_state("domcontentloaded")
    _check(page, axe)
    # typing saves a draft on the server (HTMX), announced in the live region, and sends nothing
    page.get_by_label("Din besked").press_sequentially("Ja, vi sender")
    page.locator("#draft-status", has_text="Kladden er gemt.").wait_for()
    _check(page, axe)
    page.reload()
    assert page.get_by_label("Din besked").input_value() == "Ja, vi sender"
    page.get_by_label("Din besked").fill("Ja, vi sender dig et tilbud i morgen.")
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_load_state("domcontentloaded")
    assert "Dit svar er sendt til borgeren." in page.content()
    _check(page, axe)

    # the citizen reads the answer
    sign_in_as(page, citizen, municipality)
    visit(page, f"{prefix}/dialog/")
    page.get_by_role("link", name="Spørgsmål om kursus").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Ja, vi sender dig et tilbud i morgen." in page.content()
    assert "Jobcentret skrev" in page.content()
    _check(page, axe)
    screenshot(page, "dialogue-citizen-reads-answer-390")
