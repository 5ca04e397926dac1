"""The dashboard's use and rating table at phone width (390 px): the pulse's average score after a booked
conversation, and the Danish empty state where no register spells are imported yet. axe-core runs on it."""

import pytest

from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.feedback.tests.helpers import answered
from jobunivers.tenancy.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_an_assistant_reads_the_pulse_rating_of_booked_conversations(page, visit, axe, sign_in_as, municipality,
                                                                     member):
    # given six citizens rated their booked conversation 5, 4, 4, 3, 4, 4 and no register import yet
    page.set_viewport_size(PHONE)
    for score in (5, 4, 4, 3, 4, 4):
        answered(CitizenFactory(municipality=municipality), score=score)
    assistant = member(Role.JOB_JOURNEY_ASSISTANT, municipality, first_name="Jonas", last_name="Berg")
    sign_in_as(page, assistant, municipality)
    # when the assistant opens the dashboard
    assert visit(page, f"/{municipality.slug}/medarbejder/resultater/").status == 200
    # then the rating rests on the pulse answers, and the share in a job says why it is empty
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator('[data-service="booking"] td').nth(1).inner_text() == "4,0 (6 svar efter brug)"
    assert page.locator('[data-testid="shares-empty"]').inner_text().startswith(
        "Der er endnu ikke importeret ledighedsforløb fra registret")
    assert page.locator('[data-testid="shares"]').count() == 0
    page.screenshot(path="/tmp/analytics-ratings-390.png", full_page=True)
