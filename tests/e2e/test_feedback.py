"""Feedback at phone width (390 px): a booked video conversation is recorded as held; the citizen opens the
question from the notice in the inbox, taps 2, writes what went wrong and asks to be contacted; a job adviser
sees the request in the team inbox and the rating on the ratings page. axe-core runs on every page."""

import datetime

import pytest
from django.utils import timezone

from jobunivers.booking import services as booking
from jobunivers.booking.tests.factories import at, hours, weekday_ahead
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.dialogue.models import Thread
from jobunivers.feedback.models import PulseAnswer, PulseRequest
from jobunivers.feedback.tests.helpers import answered
from jobunivers.tenancy.roles import Role

from .screens import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _held_video_conversation(citizen, adviser, municipality):
    hours(municipality, adviser)
    booked = booking.booking_create(actor=citizen.user, citizen=citizen, adviser_id=adviser.pk,
                                    starts_at=at(weekday_ahead(), 9), channel="video", purpose="job_search")
    booking.booking_record_attendance(actor=adviser, booking=booked, status="held",
                                      now=booked.starts_at + datetime.timedelta(minutes=20))


def test_a_citizen_rates_a_conversation_asks_for_contact_and_staff_see_it(page, visit, axe, sign_in_as,
                                                                           municipality, member):
    # given four earlier answers about video conversations, and a citizen whose video conversation was held
    for score in (4, 4, 5, 3):
        answered(CitizenFactory(municipality=municipality), score=score, service_key="booking:video",
                 service_label="Videosamtale")
    user = member(Role.CITIZEN, municipality, first_name="Mette", last_name="Hansen")
    adviser = member(Role.JOB_ADVISER, municipality, first_name="Aisha", last_name="Johansen")
    from jobunivers.citizens.models import Citizen

    citizen = Citizen.all_tenants.get(user=user)
    Citizen.all_tenants.filter(pk=citizen.pk).update(welcome_seen_at=timezone.now(),
                                                      onboarding_completed_at=timezone.now())
    _held_video_conversation(citizen, adviser, municipality)
    assert PulseRequest.all_tenants.filter(citizen=citizen, status="sent").count() == 1
    page.set_viewport_size(PHONE)

    # when the citizen opens the notice in the inbox
    sign_in_as(page, user, municipality)
    assert visit(page, f"/{municipality.slug}/beskeder/").status == 200
    assert page.get_by_role("heading", name="Hvordan gik det? Svar med ét tryk").count() == 1
    notice = page.locator("li", has=page.get_by_role("heading", name="Hvordan gik det? Svar med ét tryk"))
    notice.get_by_role("button", name="Åbn beskeden").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    assert "/tilbagemelding/" in page.url
    assert page.get_by_text("Hvordan var din samtale med jobcentret?").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "feedback-question")

    # and taps 2, writes what went wrong and asks for contact
    page.get_by_label("2 Dårligt", exact=True).check()
    page.get_by_label("Vil du tilføje noget? (valgfrit)").fill("Lyden var dårlig, og ingen ringede tilbage. Mette")
    page.get_by_label("Jeg var ikke tilfreds. Kontakt mig venligst.").check()
    page.get_by_role("button", name="Send svar").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    # then they are thanked and told the job centre will contact them
    assert page.get_by_text("Vi har bedt jobcentret om at kontakte dig.", exact=False).count() == 1
    screenshot(page, "feedback-thanks")
    answer = PulseAnswer.all_tenants.get(citizen=citizen)
    assert (answer.score, answer.text, answer.wants_contact) == (
        2, "Lyden var dårlig, og ingen ringede tilbage. [NAVN]", True)

    # when the job adviser opens the team inbox
    page.context.clear_cookies()
    sign_in_as(page, adviser, municipality)
    assert visit(page, f"/{municipality.slug}/medarbejder/dialog/").status == 200
    # then the request for contact waits for the job centre
    thread = Thread.all_tenants.get(citizen=citizen)
    assert thread.waiting_for == "job_centre"
    assert page.get_by_text("Kontakt mig venligst om: Videosamtale").count() >= 1
    screenshot(page, "feedback-team-inbox")

    # and the ratings page shows video conversations with 5 answers, average 3.6 (4, 4, 5, 3, 2)
    assert visit(page, f"/{municipality.slug}/medarbejder/tilbagemeldinger/").status == 200
    row = page.locator('[data-testid="ratings-by-service"] tr[data-service="booking:video"]')
    assert row.locator("td").all_inner_texts()[:3] == ["Booket samtale", "5", "3,6"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "feedback-ratings")
