import pytest

from jobunivers.assistant import generators, selectors
from jobunivers.assistant.generators import registry

pytestmark = pytest.mark.django_db


@registry.register("test_echo")
class Echo:
    output = "Omformuleret svar."

    def rephrase(self, *, prompt: str) -> str:
        if self.output == "fail":
            raise RuntimeError("down")
        return self.output


def _answer():
    return selectors.answer(municipality_id=None, text="hvordan melder jeg mig ledig")


def test_off_by_default_the_card_text_is_shown(cards, calibration):
    answer = _answer()
    assert generators.rephrase(answer, question="q", language="da") is answer


def test_a_provider_only_rephrases_and_keeps_the_sources(cards, calibration, settings, caplog):
    settings.ASSISTANT_GENERATOR = "test_echo"
    answer = _answer()
    result = generators.rephrase(answer, question="hvordan melder jeg mig ledig", language="da")
    assert result.card.short == "Omformuleret svar."
    assert (result.card.sources, result.card.legal_refs, result.card.valid_from) == (
        answer.card.sources, answer.card.legal_refs, answer.card.valid_from)
    assert "prompt=" in caplog.text and "Omformuleret svar." in caplog.text


def test_a_failing_provider_falls_back_to_the_card(cards, calibration, settings, monkeypatch):
    settings.ASSISTANT_GENERATOR = "test_echo"
    monkeypatch.setattr(Echo, "output", "fail")
    answer = _answer()
    assert generators.rephrase(answer, question="q", language="da").card.short == answer.card.short
