"""Writes of feedback: a question after an interaction (pulse_request), the citizen's one answer
(pulse_answer, with a request for contact that becomes a message thread to the job centre), and retention.

Questions are asked through the notifications outbox (kind "feedback"), so the citizen's channels,
digests and quiet hours apply; the notice links to the answer page by a signed token (tokens.py).
"""

from __future__ import annotations

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from jobunivers.citizens.selectors import citizen_of
from jobunivers.core.errors import ValidationFailed
from jobunivers.core.services import cutoff, delete_in_chunks
from jobunivers.dialogue import services as dialogue
from jobunivers.dialogue.contracts import About
from jobunivers.notifications.contracts import Kind
from jobunivers.notifications.services import notify
from jobunivers.tenancy.routing import municipal_reverse
from jobunivers.tenancy.selectors import get_municipality

from .contracts import Interaction
from .models import (
    SCORE_MAX,
    SCORE_MIN,
    TEXT_MAX,
    InteractionKind,
    PulseAnswer,
    PulseRequest,
    RequestStatus,
    Scale,
)
from .redaction import clean_text, redact
from .tokens import TOKEN_DAYS, make_token

# Assistant answers are asked as "Did you get an answer?"; every other interaction as 1 to 5.
YES_NO_KINDS = frozenset({InteractionKind.ASSISTANT})
UNHAPPY_SCORES = frozenset({1, 2})


class AlreadyAnswered(ValidationFailed):
    """A second answer to the same question: nothing is changed."""


class LinkExpired(ValidationFailed):
    """The answer link is older than TOKEN_DAYS."""


def already_answered_message() -> str:
    return _("You have already answered this question. Thank you. Your first answer is kept and nothing was "
             "changed.")


def expired_message() -> str:
    return _("This link has expired. You can answer a question for 14 days after it was sent.")


def questions() -> dict[str, str]:
    """The question shown for each interaction, in the active language."""
    return {
        InteractionKind.BOOKING: _("How was your conversation with the job centre?"),
        InteractionKind.SUMMONS: _("How was the conversation you were summoned to?"),
        InteractionKind.DIALOGUE: _("How was the answer to your message?"),
        InteractionKind.ASSISTANT: _("Did the digital assistant answer your question?"),
        InteractionKind.MARKETPLACE: _("How was the offer you used?"),
        InteractionKind.LEARNING: _("How was the course or lesson?"),
        InteractionKind.JOURNEY: _("How useful was this step of your journey?"),
        InteractionKind.INTERNSHIP: _("How was your internship?"),
    }


def link_for(request: PulseRequest, *, slug: str | None = None) -> str:
    slug = slug or get_municipality(municipality_id=request.municipality_id).slug
    return municipal_reverse(slug, "feedback:answer",
                             kwargs={"token": make_token(request_id=request.pk, nonce=request.nonce)})


def _validate_interaction(interaction: Interaction) -> None:
    errors: dict[str, list[str]] = {}
    if interaction.kind not in InteractionKind.values:
        errors["kind"] = [_("Unknown kind of interaction.")]
    for field in ("interaction_key", "service_key"):
        value = getattr(interaction, field)
        if not isinstance(value, str) or not value or len(value) > 120:
            errors[field] = [_("A reference of 1 to 120 characters is needed.")]
    if not isinstance(interaction.occurred_at, datetime.datetime):
        errors["occurred_at"] = [_("The time of the interaction is needed.")]
    if errors:
        raise ValidationFailed(errors)


def pulse_request(*, interaction: Interaction, now: datetime.datetime | None = None) -> PulseRequest | None:
    """Ask the citizen about one interaction. Idempotent per (citizen, kind, interaction_key): a repeated
    event returns the first question. When the citizen already had a question today (local time), the
    question is written as skipped and not sent. None when the citizen is not (or no longer) a citizen of
    the municipality."""
    _validate_interaction(interaction)
    now = now or timezone.now()
    citizen = citizen_of(municipality_id=interaction.municipality_id, citizen_id=interaction.citizen_id)
    if citizen is None:
        return None
    existing = PulseRequest.all_tenants.filter(citizen=citizen, kind=interaction.kind,
                                               interaction_key=interaction.interaction_key).first()
    if existing is not None:
        return existing
    fields = {
        "municipality_id": interaction.municipality_id, "citizen": citizen, "kind": interaction.kind,
        "interaction_key": interaction.interaction_key, "service_key": interaction.service_key,
        "service_label": (interaction.service_label or interaction.service_key).strip()[:200],
        "scale": Scale.YES_NO if interaction.kind in YES_NO_KINDS else Scale.SCORE,
        "occurred_at": interaction.occurred_at,
    }
    with transaction.atomic():
        try:
            with transaction.atomic():
                request = PulseRequest.all_tenants.create(
                    **fields, status=RequestStatus.SENT, sent_on=timezone.localdate(now),
                    expires_at=now + datetime.timedelta(days=TOKEN_DAYS), nonce=secrets.token_urlsafe(16))
        except IntegrityError:
            # Either the same interaction arrived at the same moment, or the citizen already has today's
            # question: the first is found, the second is written as skipped (and counted).
            existing = PulseRequest.all_tenants.filter(citizen=citizen, kind=interaction.kind,
                                                       interaction_key=interaction.interaction_key).first()
            if existing is not None:
                return existing
            try:
                with transaction.atomic():
                    return PulseRequest.all_tenants.create(**fields, status=RequestStatus.SKIPPED)
            except IntegrityError:  # the same interaction, skipped by another worker at the same moment
                return PulseRequest.all_tenants.get(citizen=citizen, kind=interaction.kind,
                                                    interaction_key=interaction.interaction_key)
        municipality = get_municipality(municipality_id=interaction.municipality_id)
        with override("da"):
            notify(municipality_id=interaction.municipality_id, citizen_id=citizen.pk, kind=Kind.FEEDBACK,
                   subject_key=f"feedback:{request.pk}", title=_("How did it go? Answer with one tap"),
                   body=questions()[request.kind], link=link_for(request, slug=municipality.slug))
    return request


def _validated_answer(request: PulseRequest, *, score, yes, text: str, wants_contact: bool
                      ) -> tuple[int | None, bool | None, str, bool]:
    errors: dict[str, list[str]] = {}
    parsed_score: int | None = None
    parsed_yes: bool | None = None
    if request.scale == Scale.SCORE:
        try:
            parsed_score = int(str(score).strip())
        except (TypeError, ValueError):
            parsed_score = None
        if parsed_score is None or not SCORE_MIN <= parsed_score <= SCORE_MAX:
            errors["score"] = [_("Choose a number from 1 to 5.")]
            parsed_score = None
    else:
        parsed_yes = {"yes": True, "no": False, True: True, False: False}.get(yes)
        if parsed_yes is None:
            errors["yes"] = [_("Choose yes or no.")]
    text = clean_text(text or "")
    if len(text) > TEXT_MAX:
        errors["text"] = [_("Write at most %(limit)s characters (you wrote %(count)s).")
                          % {"limit": f"{TEXT_MAX:,}".replace(",", "."), "count": f"{len(text):,}".replace(",", ".")}]
    unhappy = parsed_score in UNHAPPY_SCORES or parsed_yes is False
    if wants_contact and not errors:
        if not unhappy:
            errors["wants_contact"] = [_("You can ask to be contacted when you were not satisfied.")]
        elif not text:
            errors["text"] = [_("Write what went wrong, so the job centre knows what to contact you about.")]
    if errors:
        raise ValidationFailed(errors)
    return parsed_score, parsed_yes, text, unhappy


def pulse_answer(*, request: PulseRequest, score=None, yes=None, text: str = "", wants_contact: bool = False,
                 now: datetime.datetime | None = None) -> PulseAnswer:
    """The citizen's one answer (the token is the proof: the answer page works without signing in).
    A second answer raises AlreadyAnswered and changes nothing; an expired link raises LinkExpired.
    Asking for contact opens a message thread to the job centre in the citizen's name, with their own
    words; the stored comment has personal data removed."""
    now = now or timezone.now()
    if request.status != RequestStatus.SENT:
        raise ValidationFailed(_("This question was not sent."))
    parsed_score, parsed_yes, text, unhappy = _validated_answer(request, score=score, yes=yes, text=text,
                                                                wants_contact=bool(wants_contact))
    with transaction.atomic():
        locked = PulseRequest.all_tenants.select_for_update().select_related("citizen__user").get(pk=request.pk)
        if PulseAnswer.all_tenants.filter(request=locked).exists():
            raise AlreadyAnswered(already_answered_message())
        if locked.expires_at is None or locked.expires_at <= now:
            raise LinkExpired(expired_message())
        citizen = locked.citizen
        names = (citizen.user.first_name, citizen.user.last_name)
        try:
            with transaction.atomic():
                answer = PulseAnswer.all_tenants.create(
                    municipality_id=locked.municipality_id, request=locked, citizen=citizen, kind=locked.kind,
                    service_key=locked.service_key, service_label=locked.service_label, score=parsed_score,
                    yes=parsed_yes, text=redact(text, names=names)[:TEXT_MAX], unhappy=unhappy,
                    wants_contact=bool(wants_contact), answered_at=now)
        except IntegrityError:  # the same question answered at the same moment in another tab
            raise AlreadyAnswered(already_answered_message()) from None
        if wants_contact:
            with override("da"):
                subject = _("Please contact me about: %(service)s") % {"service": locked.service_label}
                intro = _("I answered a feedback question and was not satisfied. Please contact me.")
            thread = dialogue.thread_open(
                actor=citizen.user, citizen=citizen, subject=subject[:200],
                text=f"{intro}\n\n{text}"[:dialogue.MAX_TEXT], about=About(kind="feedback", id=answer.pk))
            answer.contact_thread_id = thread.pk
            answer.save(update_fields=["contact_thread_id", "updated_at"])
    return answer


# --- Retention (feedback.tasks.purge_feedback) --------------------------------------------------------

def feedback_purge(*, municipality_id: int, retention_days: int, now: datetime.datetime | None = None) -> int:
    """Questions (with their answers) created more than `retention_days` ago in this municipality. Idempotent."""
    return delete_in_chunks(PulseRequest.all_tenants.filter(municipality_id=municipality_id,
                                                            created_at__lt=cutoff(retention_days, now)))
