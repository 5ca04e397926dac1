"""The assistant on a phone (issue 16): at 390 px a signed-out visitor asks a question, the answer
arrives by HTMX into the live region with its sources and "Gælder fra", the page fits the screen
and passes axe-core before and after the answer."""

import pytest

from jobunivers.assistant import engine
from jobunivers.assistant.tests.conftest import fake_vectors
from tests.e2e.screens import PHONE, horizontal_overflow, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cards(monkeypatch):
    from jobunivers.assistant.cards import load_cards
    from jobunivers.assistant.services import cards_import
    from jobunivers.taxonomy import embeddings

    monkeypatch.setattr(embeddings, "compute", fake_vectors)
    calib = engine.Calibration(min_cosine=0.55, min_margin=0.0, clarify_cosine=0.25)
    monkeypatch.setattr(engine.Calibration, "load", classmethod(lambda cls: calib))
    engine.clear()
    cards_import(cards=load_cards())
    yield
    engine.clear()


def test_a_visitor_asks_on_a_phone_and_the_answer_is_announced(page, visit, axe, municipality, cards):
    page.set_viewport_size(PHONE)
    visit(page, f"/{municipality.slug}/assistent/")
    assert horizontal_overflow(page) == 0
    page.fill("textarea[name=q]", "hvordan melder jeg mig ledig")
    page.click("button[type=submit]:has-text('Spørg')")
    answer = page.locator("#assistant-answer[aria-live=polite] h2")
    answer.wait_for()
    assert answer.inner_text() == "Sådan melder du dig ledig"
    assert page.locator("#assistant-answer").get_by_text("Gælder fra").count() == 1
    assert page.locator("#assistant-answer a[href='https://www.jobnet.dk/']").count() == 1
    assert horizontal_overflow(page) == 0
    axe(page)
    screenshot(page, "assistant-answer-390")
