"""Writes: importing the national cards, asking (the question is stored with personal data
stripped), feedback, hand-offs to a person, and local cards with a review by a second person."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.core.events import publish_on_commit

from . import permissions, selectors
from .cards import CardData
from .contracts import Answer, AnswerGiven, HandoffReceipt, HandoffRequest
from .models import AnswerCard, CardStatus, Handoff, HandoffState, Outcome, Question
from .text import clean, strip_personal_data, words

NATIONAL_OWNER = "Jobunivers indhold"
# Questions stored per municipality and day at most: anonymous visitors cannot grow the table without bound.
MAX_QUESTIONS_PER_DAY = 5000


def _vector_texts(card) -> list[str]:
    return [*card.variants, card.title_da, card.title_en]


def _vector_stamp(card) -> str:
    from jobunivers.taxonomy.selectors import model_version

    digest = hashlib.sha256("\n".join(_vector_texts(card)).encode()).hexdigest()[:16]
    return f"{model_version()}|{digest}"[:80]


def card_vectors_refresh(card: AnswerCard) -> bool:
    """Compute the card's vectors if its texts or the model changed. True if computed."""
    from jobunivers.taxonomy.selectors import embed_texts

    stamp = _vector_stamp(card)
    if card.vector_model == stamp and card.vectors:
        return False
    matrix = embed_texts(_vector_texts(card), kind="query", store=False)
    card.vectors = matrix.astype("float32").tobytes()
    card.vector_model = stamp
    return True


@transaction.atomic
def cards_import(*, cards: Iterable[CardData], withdraw_missing: bool = True) -> dict[str, int]:
    """Create or update the national cards from the data files; national cards no longer in the
    files are withdrawn (never deleted: answers given from them stay explainable)."""
    report = {"created": 0, "updated": 0, "unchanged": 0, "withdrawn": 0, "vectors": 0}
    seen = set()
    existing = {c.key: c for c in AnswerCard.objects.filter(municipality__isnull=True)}
    for data in cards:
        seen.add(data.key)
        fields = data.as_fields()
        card = existing.get(data.key)
        if card is None:
            card = AnswerCard(municipality=None, key=data.key, status=CardStatus.PUBLISHED, **fields)
            report["created"] += 1
        else:
            changed = any(getattr(card, k) != v for k, v in fields.items()) or card.status != CardStatus.PUBLISHED
            for name, value in fields.items():
                setattr(card, name, value)
            card.status = CardStatus.PUBLISHED
            report["updated" if changed else "unchanged"] += 1
            if not changed and card.vector_model == _vector_stamp(card):
                continue
        report["vectors"] += int(card_vectors_refresh(card))
        card.save()
    if withdraw_missing:
        report["withdrawn"] = (AnswerCard.objects.filter(municipality__isnull=True, status=CardStatus.PUBLISHED)
                               .exclude(key__in=seen).update(status=CardStatus.WITHDRAWN, updated_at=timezone.now()))
    return report


# Asking ----------------------------------------------------------------------------------------------

def _known_words(municipality_id: int) -> frozenset[str]:
    return frozenset(selectors.index_for(municipality_id=municipality_id).vocabulary)


def question_record(*, actor, municipality_id: int, text: str, language: str, answer: Answer) -> Question | None:
    """Store the question with CPR numbers, e-mails, phone numbers and names stripped. Returns None
    when the municipality's daily cap is reached (the citizen still gets the answer)."""
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    if Question.all_tenants.filter(municipality_id=municipality_id, created_at__gte=start).count() \
            >= MAX_QUESTIONS_PER_DAY:
        return None
    user = actor if getattr(actor, "is_authenticated", False) else None
    question = Question.all_tenants.create(
        municipality_id=municipality_id, user=user,
        text=strip_personal_data(clean(text), _known_words(municipality_id)) or "-",
        language=language if language in {"da", "en"} else "da", outcome=answer.kind,
        card_key=answer.card.key if answer.card else "", confidence=answer.confidence,
        token=secrets.token_hex(16))
    if user is not None and answer.kind == Outcome.ANSWERED and answer.card is not None:
        publish_on_commit(AnswerGiven(municipality_id=municipality_id, citizen_user_id=user.pk,
                                      question_id=question.pk, card_key=answer.card.key,
                                      card_title=answer.card.title, answered_at=question.created_at))
    return question


def ask(*, actor, municipality_id: int, text: str, language: str = "da", attempt: int = 0,
        store: bool = True) -> tuple[Answer, Question | None]:
    from .generators import rephrase

    result = selectors.answer(municipality_id=municipality_id, text=text, language=language, attempt=attempt)
    result = rephrase(result, question=text, language=language)
    question = None
    if store and result.kind != Outcome.INVALID:
        question = question_record(actor=actor, municipality_id=municipality_id, text=text, language=language,
                                   answer=result)
    return result, question


def feedback_record(*, municipality_id: int, token: str, helpful: bool) -> Question:
    """"Fik du svar?": yes or no for a stored question (by its unguessable token)."""
    question = Question.all_tenants.filter(municipality_id=municipality_id, token=token).first() if token else None
    if question is None:
        raise NotFound(_("This question is no longer stored."))
    question.helpful = helpful
    question.save(update_fields=["helpful", "updated_at"])
    return question


def questions_purge(*, retention_days: int, now=None) -> int:
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days)
    deleted, _counts = Question.all_tenants.filter(created_at__lt=cutoff).delete()
    return deleted


# Hand-off ----------------------------------------------------------------------------------------------

def working_days_after(day: datetime.date, days: int) -> datetime.date:
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def _channel():
    path = getattr(settings, "ASSISTANT_HANDOFF_CHANNEL", "jobunivers.assistant.handoff.LocalHandoffChannel")
    return import_string(path)()


def handoff_open(*, actor, municipality_id: int, reason: str, transcript: Iterable[dict],
                 cards_tried: Iterable[str] = ()) -> HandoffReceipt:
    """Hand the conversation to the job centre (through the configured channel)."""
    if not permissions.can_open_handoff(actor, municipality_id):
        raise NotFound
    if reason not in {Outcome.HANDOFF, Outcome.OWN_CASE, Outcome.CRISIS}:
        raise ValidationFailed({"reason": [_("Choose a valid reason.")]})
    known = _known_words(municipality_id)
    lines = tuple({"who": "citizen" if line.get("who") == "citizen" else "assistant",
                   "text": strip_personal_data(clean(str(line.get("text", ""))), known)}
                  for line in list(transcript)[:10])
    keys = tuple(k for k in list(cards_tried)[:10] if isinstance(k, str) and len(k) <= 80)
    return _channel().open(HandoffRequest(municipality_id=municipality_id, citizen_user_id=actor.pk,
                                          reason=str(reason), transcript=lines, cards_tried=keys))


@transaction.atomic
def handoff_close(*, actor, municipality_id: int, handoff_id: int) -> Handoff:
    from jobunivers.audit.services import citizen_access_record
    from jobunivers.citizens.selectors import citizen_for_user

    handoff = Handoff.all_tenants.filter(pk=handoff_id, municipality_id=municipality_id).first()
    if handoff is None or not permissions.can_change_handoff(actor, handoff):
        raise NotFound
    handoff.state = HandoffState.ANSWERED
    handoff.save(update_fields=["state", "updated_at"])
    citizen = citizen_for_user(user=handoff.citizen_user)
    citizen_access_record(actor=actor, municipality_id=municipality_id, citizen_id=citizen.pk if citizen else None,
                          what="assistant hand-off", purpose="help", action="change")
    return handoff


# Local cards ------------------------------------------------------------------------------------------

@transaction.atomic
def card_draft_from_question(*, actor, municipality_id: int, question_id: int) -> AnswerCard:
    """One click on the unanswered list: a local draft card with the question as its first variant."""
    if not permissions.can_view_unanswered(actor, municipality_id):
        raise NotFound
    question = Question.all_tenants.filter(pk=question_id, municipality_id=municipality_id).first()
    if question is None:
        raise NotFound
    base = "-".join(words(question.text)[:5])[:60] or "spoergsmaal"
    key = f"lokal-{base}-{question.pk}"[:80].strip("-")
    today = timezone.localdate()
    return AnswerCard.objects.create(
        municipality_id=municipality_id, key=key, topic="local", title_da=question.text[:200],
        title_en=question.text[:200], short_da="", short_en="", variants=[question.text], sources=[],
        legal_refs=[], valid_from=today, last_reviewed=today, owner=str(actor.get_full_name() or actor.pk)[:100],
        status=CardStatus.DRAFT, written_by=actor)


LOCAL_FIELDS = ("key", "topic", "audience", "title_da", "title_en", "short_da", "short_en", "long_da", "long_en",
                "variants", "sources", "legal_refs", "valid_from", "valid_to", "needs_assessment")


@transaction.atomic
def local_card_save(*, actor, municipality_id: int, card: AnswerCard | None, data: dict) -> AnswerCard:
    """Create or change a local card; a change sends a published card back to draft (it needs a review)."""
    if card is None:
        card = AnswerCard(municipality_id=municipality_id, written_by=actor, status=CardStatus.DRAFT,
                          valid_from=timezone.localdate(), last_reviewed=timezone.localdate())
    if card.municipality_id != municipality_id or not permissions.can_edit_local_card(actor, card):
        raise NotFound
    clash = AnswerCard.objects.filter(municipality_id=municipality_id, key=data.get("key")).exclude(pk=card.pk)
    if clash.exists():
        raise ValidationFailed({"key": [_("This municipality already has a card with this key.")]})
    for name in LOCAL_FIELDS:
        if name in data:
            setattr(card, name, data[name])
    card.owner = str(actor.get_full_name() or actor.email or actor.pk)[:100]
    card.written_by = actor
    card.reviewed_by = None
    card.status = CardStatus.DRAFT
    card.save()
    return card


@transaction.atomic
def local_card_submit(*, actor, municipality_id: int, card_id: int) -> AnswerCard:
    card = selectors.get_local_card(actor=actor, municipality_id=municipality_id, card_id=card_id)
    missing = [name for name in ("title_da", "title_en", "short_da", "short_en") if not getattr(card, name).strip()]
    if missing or not card.sources:
        raise ValidationFailed({"__all__": [_("A card needs Danish and English titles and answers and at least one "
                                               "source before it can be reviewed.")]})
    card.status = CardStatus.IN_REVIEW
    card.save(update_fields=["status", "updated_at"])
    return card


@transaction.atomic
def local_card_publish(*, actor, municipality_id: int, card_id: int) -> AnswerCard:
    card = selectors.get_local_card(actor=actor, municipality_id=municipality_id, card_id=card_id)
    if card.status != CardStatus.IN_REVIEW:
        raise ValidationFailed({"__all__": [_("Only a card waiting for review can be published.")]})
    if not permissions.can_publish_local_card(actor, card):
        raise ValidationFailed({"__all__": [_("Another person than the writer must review and publish the card.")]})
    card_vectors_refresh(card)
    card.status = CardStatus.PUBLISHED
    card.reviewed_by = actor
    card.last_reviewed = timezone.localdate()
    card.save()
    return card
