import pytest
from django.test import Client

from jobunivers.assistant.models import Question

pytestmark = pytest.mark.django_db
URL = "/api/v1/assistant/answer"


def test_the_api_answers_with_card_sources_and_valid_from(cards, calibration, municipality):
    body = Client().get(URL, {"q": "how do I register as unemployed", "municipality": "0751", "lang": "en"}).json()
    assert body["kind"] == "answered" and body["card_id"] == "tilmeld-dig-som-ledig"
    assert body["valid_from"] == "2024-01-01" and body["sources"][0]["url"].startswith("https://")
    assert body["handoff"] is False and Question.all_tenants.count() == 0


def test_crisis_and_own_case_are_handed_off(cards, municipality):
    crisis = Client().get(URL, {"q": "jeg vil ikke leve mere", "municipality": "0751"}).json()
    assert crisis["handoff"] is True and "70 201 201" in crisis["answer"]
    own = Client().get(URL, {"q": "hvorfor har I stoppet mine penge", "municipality": "0751"}).json()
    assert (own["kind"], own["handoff"]) == ("own_case", True)


@pytest.mark.parametrize("params, status", [
    ({"q": "x" * 10_000, "municipality": "0751"}, 422),
    ({"q": "hej", "municipality": "75"}, 422),
    ({"q": "hej", "municipality": "0751", "lang": "de"}, 422),
    ({"q": "hej", "municipality": "9999"}, 404),
    ({"municipality": "0751"}, 422),
])
def test_bad_parameters_get_error_out(cards, municipality, params, status):
    response = Client().get(URL, params)
    assert response.status_code == status and response.json()["detail"]


def test_emoji_only_gets_a_clear_answer(cards, municipality):
    body = Client().get(URL, {"q": "😀😀", "municipality": "0751"}).json()
    assert body["kind"] == "invalid" and body["answer"]
