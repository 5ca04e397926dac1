"""Reads: the cards a municipality shows today, answers to a question, unanswered questions,
hand-offs and local cards for staff. Answering stores nothing (services.ask stores the question)."""

from __future__ import annotations

import datetime

import numpy as np
from django.db import transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.audit.services import citizen_access_record
from jobunivers.core.errors import NotFound

from . import engine, permissions, routing
from .contracts import Answer, CardAnswer, Source
from .models import AnswerCard, CardStatus, Handoff, HandoffState, Outcome, Question
from .text import MAX_QUESTION, clean, has_letters

CLARIFY_TOPICS = 3


def _shown_today(municipality_id: int | None, today: datetime.date):
    return AnswerCard.objects.filter(
        Q(municipality__isnull=True) | Q(municipality_id=municipality_id), status=CardStatus.PUBLISHED,
        valid_from__lte=today).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))


def cards_shown(*, municipality_id: int | None, today: datetime.date | None = None) -> list[AnswerCard]:
    """Published cards valid today; a municipality's local card replaces the national card with its key."""
    today = today or timezone.localdate()
    by_key: dict[str, AnswerCard] = {}
    for card in _shown_today(municipality_id, today).order_by("key", "municipality_id"):
        if card.key not in by_key or card.municipality_id is not None:
            by_key[card.key] = card
    return [by_key[k] for k in sorted(by_key)]


def index_for(*, municipality_id: int | None) -> engine.Index:
    today = timezone.localdate()
    stamp = (AnswerCard.objects.filter(Q(municipality__isnull=True) | Q(municipality_id=municipality_id))
             .aggregate(n=Count("id"), changed=Max("updated_at")))
    version = (today, stamp["n"], stamp["changed"])
    return engine.cached_index(municipality_id or 0, version,
                               lambda: cards_shown(municipality_id=municipality_id, today=today))


def card_answer(card: AnswerCard, language: str) -> CardAnswer:
    english = language == "en"
    return CardAnswer(
        key=card.key, title=card.title_en if english else card.title_da,
        short=card.short_en if english else card.short_da, long=(card.long_en if english else card.long_da) or "",
        sources=tuple(Source(s.get("title", ""), s.get("url", "")) for s in card.sources or []),
        legal_refs=tuple(card.legal_refs or []), valid_from=card.valid_from, valid_to=card.valid_to,
        last_reviewed=card.last_reviewed, needs_assessment=card.needs_assessment,
        local=card.municipality_id is not None,
    )


def _query_vector(text: str) -> np.ndarray | None:
    from jobunivers.taxonomy.selectors import embed_texts

    # store=False: what anonymous visitors type never grows the database.
    return embed_texts([text], kind="query", store=False)[0]


def problem_with(text: str) -> str | None:
    """A clear sentence when the input cannot be a question, else None."""
    if not has_letters(text):
        return _("Write your question in words, for example: How do I register as unemployed?")
    if len(text) > MAX_QUESTION:
        return _("Your question is too long. Please write it in at most %(limit)s characters.") % {
            "limit": MAX_QUESTION}
    return None


def answer(*, municipality_id: int | None, text: str, language: str = "da", attempt: int = 0,
           calibration: engine.Calibration | None = None) -> Answer:
    """The answer to one question: routed (crisis, own case), then retrieved; answered only when
    the best card is clear enough; otherwise one clarifying question (attempt 0), then a person."""
    text = clean(text)
    problem = problem_with(text)
    if problem:
        return Answer(kind=Outcome.INVALID, message=problem)
    route = routing.route(text)
    if route == "crisis":
        return Answer(kind=Outcome.CRISIS)
    if route == "own_case":
        return Answer(kind=Outcome.OWN_CASE)
    index = index_for(municipality_id=municipality_id)
    hits = index.rank(text, _query_vector(text))
    if not hits:
        return Answer(kind=Outcome.HANDOFF)
    calibration = calibration or engine.Calibration.load()
    top = hits[0]
    margin = top.fused - (hits[1].fused if len(hits) > 1 else 0.0)
    ranked = tuple(index.cards[h.index].key for h in hits)
    confidence = round(top.cosine, 4)
    if top.cosine >= calibration.min_cosine and margin >= calibration.min_margin:
        return Answer(kind=Outcome.ANSWERED, card=card_answer(index.cards[top.index], language),
                      confidence=confidence, ranked=ranked)
    if attempt == 0 and top.cosine >= calibration.clarify_cosine:
        options = tuple(card_answer(index.cards[h.index], language) for h in hits[:CLARIFY_TOPICS])
        return Answer(kind=Outcome.CLARIFY, clarify=options, confidence=confidence, ranked=ranked)
    return Answer(kind=Outcome.HANDOFF, confidence=confidence, ranked=ranked)


def answer_with_card(*, municipality_id: int | None, key: str, language: str = "da") -> Answer:
    """The citizen chose one of the offered topics."""
    for card in cards_shown(municipality_id=municipality_id):
        if card.key == key:
            return Answer(kind=Outcome.ANSWERED, card=card_answer(card, language), confidence=1.0, ranked=(key,))
    raise NotFound(_("No answer has this key."))


# Staff reads ---------------------------------------------------------------------------------------

def unanswered_by_week(*, actor, municipality_id: int, weeks: int = 12) -> list[dict]:
    if not permissions.can_view_unanswered(actor, municipality_id):
        raise NotFound
    since = timezone.now() - datetime.timedelta(weeks=weeks)
    rows = (_unanswered(municipality_id).filter(created_at__gte=since).annotate(week=TruncWeek("created_at"))
            .values("week").annotate(total=Count("id")).order_by("-week"))
    return [{"week": r["week"], "total": r["total"]} for r in rows]


def _unanswered(municipality_id: int):
    return Question.all_tenants.filter(municipality_id=municipality_id).filter(
        Q(outcome__in=[Outcome.HANDOFF, Outcome.CLARIFY]) | Q(helpful=False))


def unanswered_questions(*, actor, municipality_id: int, limit: int = 100) -> list[Question]:
    if not permissions.can_view_unanswered(actor, municipality_id):
        raise NotFound
    return list(_unanswered(municipality_id).order_by("-created_at", "-id")[:limit])


@transaction.atomic
def access_handoffs(*, actor, municipality_id: int, purpose: str = "help", limit: int = 200) -> list[Handoff]:
    """Hand-offs waiting for the job centre (citizens' questions): the read is access-logged."""
    if not permissions.can_view_handoffs(actor, municipality_id):
        raise NotFound
    rows = list(Handoff.all_tenants.filter(municipality_id=municipality_id, state=HandoffState.WAITING)
                .select_related("citizen_user").order_by("answer_expected_by", "id")[:limit])
    citizen_access_record(actor=actor, municipality_id=municipality_id, citizen_id=None, what="assistant hand-offs",
                          purpose=purpose, action="search", criterion="waiting for the job centre")
    return rows


def local_cards(*, actor, municipality_id: int) -> list[AnswerCard]:
    if not permissions.can_view_unanswered(actor, municipality_id):
        raise NotFound
    return list(AnswerCard.objects.filter(municipality_id=municipality_id).order_by("status", "key"))


def get_local_card(*, actor, municipality_id: int, card_id: int) -> AnswerCard:
    card = AnswerCard.objects.filter(pk=card_id, municipality_id=municipality_id).first()
    if card is None or not permissions.can_edit_local_card(actor, card):
        raise NotFound
    return card


def national_keys() -> list[tuple[str, str]]:
    return list(AnswerCard.objects.filter(municipality__isnull=True, status=CardStatus.PUBLISHED)
                .order_by("key").values_list("key", "title_da"))
