import datetime

import pytest

from jobunivers.assistant import routing, selectors
from jobunivers.assistant.models import AnswerCard, CardStatus
from jobunivers.assistant.text import strip_personal_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text, route", [
    ("jeg vil ikke leve mere", "crisis"),
    ("I want to kill myself", "crisis"),
    ("Hvorfor har I stoppet mine penge?", "own_case"),
    ("why did you stop my benefits", "own_case"),
    ("hvornår kommer mine penge", "own_case"),
    ("hvordan melder jeg mig ledig", None),
])
def test_routing_before_retrieval(text, route):
    assert routing.route(text) == route


def test_strip_personal_data():
    text = "Jeg hedder Anna Hansen, cpr 010203-1234, ring på 12 34 56 78 eller a@b.dk. Spørg Jobnet"
    stripped = strip_personal_data(text, frozenset({"jobnet"}))
    assert stripped == "Jeg hedder [NAVN], cpr [CPR], ring på [TELEFON] eller [E-MAIL]. Spørg Jobnet"


def test_a_clear_question_is_answered_with_sources_and_valid_from(cards, calibration):
    answer = selectors.answer(municipality_id=None, text="hvordan melder jeg mig ledig")
    assert answer.kind == "answered"
    assert answer.card.key == "tilmeld-dig-som-ledig"
    assert answer.card.sources and answer.card.valid_from == datetime.date(2024, 1, 1)


def test_english_question_gets_the_english_text(cards, calibration):
    answer = selectors.answer(municipality_id=None, text="how do I register as unemployed", language="en")
    assert answer.card.title == "How to register as unemployed"


def test_an_unclear_question_gets_topics_once_then_a_person(cards, calibration, monkeypatch):
    calibration.min_cosine = 1.1  # nothing is clear enough
    first = selectors.answer(municipality_id=None, text="a-kasse", attempt=0)
    assert first.kind == "clarify" and 2 <= len(first.clarify) <= 3
    second = selectors.answer(municipality_id=None, text="a-kasse", attempt=1)
    assert second.kind == "handoff"


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "<b></b>", "x" * 10_000])
def test_bad_input_gets_a_clear_message(cards, text):
    answer = selectors.answer(municipality_id=None, text=text)
    assert answer.kind == "invalid" and answer.message


def test_an_expired_card_is_never_shown(cards, calibration):
    AnswerCard.objects.filter(key="tilmeld-dig-som-ledig").update(valid_to=datetime.date(2020, 1, 1))
    answer = selectors.answer(municipality_id=None, text="hvordan melder jeg mig ledig")
    assert answer.card is None or answer.card.key != "tilmeld-dig-som-ledig"


def test_a_published_local_card_replaces_the_national_one_only_in_its_municipality(
        cards, calibration, municipality, other_municipality):
    national = AnswerCard.objects.get(key="tilmeld-dig-som-ledig")
    local = AnswerCard.objects.create(**{f.name: getattr(national, f.name) for f in AnswerCard._meta.concrete_fields
                                         if f.name not in {"id", "municipality", "created_at", "updated_at"}},
                                      municipality=municipality)
    AnswerCard.objects.filter(pk=local.pk).update(short_da="Lokalt svar", status=CardStatus.PUBLISHED)
    here = selectors.answer(municipality_id=municipality.pk, text="hvordan melder jeg mig ledig")
    there = selectors.answer(municipality_id=other_municipality.pk, text="hvordan melder jeg mig ledig")
    assert (here.card.short, here.card.local) == ("Lokalt svar", True)
    assert there.card.local is False
    local.refresh_from_db()
    local.status = CardStatus.DRAFT
    local.save()
    assert selectors.answer(municipality_id=municipality.pk, text="hvordan melder jeg mig ledig").card.local is False
