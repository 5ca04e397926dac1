"""Public read-only API of the assistant (mounted at /api/v1/assistant by config/api.py).

GET /answer?q=…&municipality=<4-digit code>&lang=da|en: the same answer as the page (routing,
hybrid retrieval, threshold), nothing stored. Rate-limited by the API bucket of accounts.ratelimit.
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from jobunivers.core.api import ErrorOut
from jobunivers.core.errors import NotFound
from jobunivers.tenancy.selectors import get_municipality_by_code

from . import selectors
from .models import Outcome

router = Router(tags=["assistant"])

CRISIS_LINES = "Livslinien 70 201 201 · 112"


class AnswerParams(Schema):
    q: str = Field(..., min_length=1, max_length=500, description="The question, in Danish or English")
    municipality: str = Field(..., pattern=r"^[0-9]{4}$", description="A municipality code, e.g. 0751")
    lang: Literal["da", "en"] = "da"


class SourceOut(Schema):
    title: str
    url: str
    law_ref: str


class TopicOut(Schema):
    card_id: str
    title: str


class AnswerOut(Schema):
    kind: Literal["answered", "clarify", "handoff", "own_case", "crisis", "invalid"]
    answer: str = Field(description="The answer, the clarifying question or what to do next")
    title: str
    card_id: str | None
    sources: list[SourceOut]
    legal_refs: list[str]
    valid_from: datetime.date | None
    needs_individual_assessment: bool
    handoff: bool = Field(description="True when a person must answer (own case, crisis, unclear question)")
    clarify: list[TopicOut]
    confidence: float


def _message(kind: str, message: str) -> str:
    if kind == Outcome.CRISIS:
        return _("If you have thoughts of taking your own life, call Livslinien on 70 201 201. In an emergency, "
                 "call 112.")
    if kind == Outcome.OWN_CASE:
        return _("This is a question about your own case. The assistant cannot see your case, so a person at the "
                 "job centre or your a-kasse must answer it.")
    if kind == Outcome.HANDOFF:
        return _("The assistant cannot answer this question with certainty. A person can help you.")
    if kind == Outcome.CLARIFY:
        return _("Did you mean one of these?")
    return message


@router.get("/answer", response={200: AnswerOut, 404: ErrorOut}, summary="Answer a question about the rules")
def assistant_answer(request: HttpRequest, params: Query[AnswerParams]):
    """An answer card with its sources, legal references and the date it is valid from, or one clarifying
    question (`clarify`: the closest topics), or `handoff` when a person must answer. Nothing is stored."""
    with translation.override(params.lang):
        try:
            municipality = get_municipality_by_code(code=params.municipality)
        except NotFound:  # an unknown municipality is a resource that is not there (404), as elsewhere in the API
            return 404, {"detail": _("No municipality has this code."),
                         "errors": {"municipality": [_("No municipality has this code.")]}}
        result = selectors.answer(municipality_id=municipality.pk, text=params.q, language=params.lang)
        card = result.card
        law = "; ".join(card.legal_refs) if card else ""
        return 200, {
            "kind": str(result.kind),
            "answer": card.short + (("\n\n" + card.long) if card.long else "") if card else _message(result.kind,
                                                                                                   result.message),
            "title": card.title if card else "",
            "card_id": card.key if card else None,
            "sources": [{"title": s.title, "url": s.url, "law_ref": law} for s in card.sources] if card else [],
            "legal_refs": list(card.legal_refs) if card else [],
            "valid_from": card.valid_from if card else None,
            "needs_individual_assessment": bool(card and card.needs_assessment),
            "handoff": result.handoff,
            "clarify": [{"card_id": c.key, "title": c.title} for c in result.clarify],
            "confidence": result.confidence,
        }
