import datetime

import pytest

from jobunivers.assistant.cards import CardFileError, load_cards, parse_card
from jobunivers.assistant.models import AnswerCard, CardStatus
from jobunivers.assistant.services import cards_import

GOOD = {"key": "k", "topic": "t", "title_da": "T", "title_en": "T", "short_da": "S", "short_en": "S",
        "variants_da": ["a", "b"], "sources": [{"title": "STAR", "url": "https://star.dk/x"}],
        "valid_from": datetime.date(2024, 1, 1), "last_reviewed": datetime.date(2026, 12, 4), "owner": "o"}


def test_the_card_files_load_and_every_card_has_sources_and_dates():
    cards = load_cards()
    assert len(cards) >= 10
    for card in cards:
        assert card.sources and card.valid_from and card.last_reviewed and len(card.variants) >= 2


@pytest.mark.parametrize("change, message", [
    ({"key": "Bad Key"}, "key"),
    ({"sources": [{"title": "x", "url": "http://star.dk/"}]}, "https"),
    ({"sources": [{"title": "x", "url": "https://example.com/"}]}, "public site"),
    ({"valid_to": datetime.date(2023, 1, 1)}, "valid_to"),
    ({"variants_da": ["only one"]}, "variants"),
    ({"audience": "everyone"}, "audience"),
])
def test_a_bad_card_is_refused_with_a_reason(change, message):
    with pytest.raises(CardFileError, match=message):
        parse_card({**GOOD, **change}, "test")


@pytest.mark.django_db
def test_import_creates_updates_and_withdraws_national_cards():
    first = parse_card(GOOD, "t")
    second = parse_card({**GOOD, "key": "k2"}, "t")
    assert cards_import(cards=[first, second])["created"] == 2
    changed = parse_card({**GOOD, "short_da": "Ny tekst"}, "t")
    report = cards_import(cards=[changed])
    assert (report["updated"], report["withdrawn"]) == (1, 1)
    assert AnswerCard.objects.get(key="k").short_da == "Ny tekst"
    assert AnswerCard.objects.get(key="k2").status == CardStatus.WITHDRAWN
    assert AnswerCard.objects.get(key="k").matrix().shape == (4, 384)  # two variants and two titles
