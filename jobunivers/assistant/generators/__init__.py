"""Optional generator plug-ins that may only REPHRASE the chosen card (issue 16). Off by default.

settings.ASSISTANT_GENERATOR names a registered provider ("" = off, the default; tests never need one).
A provider gets the card's short answer and the question and returns a rephrased text; the answer keeps the
card's title, sources, legal references and dates, and falls back to the card's own text on any error, an
empty or overlong output. Every prompt and output is logged (logger `jobunivers.assistant.generator`) for review.
Providers live in `contrib/<provider>/`, e.g. an OpenAI-compatible endpoint a municipality runs itself.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Protocol

from django.conf import settings

from jobunivers.core.registry import Registry

from ..contracts import Answer

logger = logging.getLogger("jobunivers.assistant.generator")
MAX_OUTPUT = 1200


class Rephraser(Protocol):
    def rephrase(self, *, prompt: str) -> str: ...


registry: Registry[type] = Registry("assistant generator")


def load_contrib() -> None:
    from .contrib.openai_compatible import provider as _openai  # noqa: F401


def prompt_for(answer: Answer, question: str, language: str) -> str:
    card = answer.card
    assert card is not None
    lang = "English" if language == "en" else "Danish"
    return (f"Rephrase the answer below in plain {lang} for the citizen's question. Do not add facts, figures, "
            f"advice or sources; keep every fact.\nQuestion: {question}\nAnswer: {card.short}")


def rephrase(answer: Answer, *, question: str, language: str) -> Answer:
    """The answer with its short text rephrased by the configured provider, or unchanged."""
    name = getattr(settings, "ASSISTANT_GENERATOR", "")
    if not name or answer.card is None:
        return answer
    prompt = prompt_for(answer, question, language)
    try:
        output = registry.get(name)().rephrase(prompt=prompt).strip()
    except Exception:  # noqa: BLE001 - the card's own words are always a safe answer
        logger.warning("generator %s failed for card %s", name, answer.card.key, exc_info=True)
        return answer
    logger.info("generator=%s card=%s prompt=%r output=%r", name, answer.card.key, prompt, output)
    if not output or len(output) > MAX_OUTPUT:
        return answer
    return dataclasses.replace(answer, card=dataclasses.replace(answer.card, short=output))
