"""Event handlers wired in config/events.py: each turns another app's event into an `Interaction` and asks
the citizen about it. They read the event's attributes and do not import the event types (ADR 0061), so
the apps below never depend on feedback. Each runs isolated (core.events): a failure is logged and retried
and never undoes the write that published the event.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from jobunivers.citizens.selectors import citizen_for_user
from jobunivers.core.context import tenant_context

from .contracts import Interaction
from .models import InteractionKind
from .services import pulse_request

# Marketplace use events worth a question: the citizen used a tool, had a session, completed a course.
# Enrolling, hours of follow-up and withdrawing are not an experience to rate.
MARKETPLACE_USE_KINDS = frozenset({"launched", "session", "completed"})


def _channel_labels() -> dict[str, str]:
    return {"physical": _("Conversation at the job centre"), "in_person": _("Conversation at the job centre"),
            "video": _("Video conversation"), "phone": _("Phone conversation")}


def _moment(value) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value) if isinstance(value, str) else value


def on_booking_held(event) -> None:
    """booking.contracts.BookingHeld: staff recorded that a booked conversation was held."""
    with override("da"):
        label = _channel_labels().get(event.channel, _("Booked conversation"))
    pulse_request(interaction=Interaction(
        municipality_id=event.municipality_id, citizen_id=event.citizen_id, kind=InteractionKind.BOOKING,
        interaction_key=f"booking:{event.booking_id}", service_key=f"booking:{event.channel}", service_label=label,
        occurred_at=_moment(event.held_at)))


def on_summons_held(event) -> None:
    """caseworker.contracts.SummonsHeld: a summons written by staff was held."""
    with override("da"):
        label = _("Summons: %(form)s") % {"form": _channel_labels().get(event.mode, _("conversation"))}
    pulse_request(interaction=Interaction(
        municipality_id=event.municipality_id, citizen_id=event.citizen_id, kind=InteractionKind.SUMMONS,
        interaction_key=f"summons:{event.conversation_id}", service_key=f"summons:{event.mode}",
        service_label=label, occurred_at=_moment(event.held_at)))


def on_message_answered(event) -> None:
    """dialogue.contracts.MessageAnswered: the job centre answered a thread that waited for it."""
    with override("da"):
        labels = {"booking": _("Messages about a booked conversation"),
                  "assistant": _("Questions passed on by the digital assistant"),
                  "feedback": _("Contact after feedback")}
        label = labels.get(event.about_kind, _("Messages to the job centre"))
    pulse_request(interaction=Interaction(
        municipality_id=event.municipality_id, citizen_id=event.citizen_id, kind=InteractionKind.DIALOGUE,
        interaction_key=f"message:{event.message_id}", service_key=f"dialogue:{event.about_kind or 'message'}",
        service_label=label, occurred_at=_moment(event.answered_at)))


def on_answer_given(event) -> None:
    """assistant.contracts.AnswerGiven: the assistant answered a signed-in person's question with a card.
    Staff trying the assistant are not citizens: nothing is asked."""
    with tenant_context(event.municipality_id):
        citizen = citizen_for_user(user=event.citizen_user_id)
    if citizen is None:
        return
    pulse_request(interaction=Interaction(
        municipality_id=event.municipality_id, citizen_id=citizen.pk, kind=InteractionKind.ASSISTANT,
        interaction_key=f"question:{event.question_id}", service_key=f"card:{event.card_key}",
        service_label=event.card_title, occurred_at=_moment(event.answered_at)))


def on_marketplace_use(event) -> None:
    """marketplace.contracts.UseRecorded: a citizen launched, had a session of or completed an offer."""
    if event.kind not in MARKETPLACE_USE_KINDS or not event.citizen_id or not event.use_event_id:
        return
    pulse_request(interaction=Interaction(
        municipality_id=event.municipality_id, citizen_id=event.citizen_id, kind=InteractionKind.MARKETPLACE,
        interaction_key=f"use:{event.use_event_id}", service_key=f"offer:{event.offer_id}",
        service_label=event.offer_title or f"#{event.offer_id}", occurred_at=_moment(event.occurred_at)))


def on_learning_completed(event) -> None:
    """The learning app's "course or lesson completed" (see feedback.contracts for the attributes read)."""
    pulse_request(interaction=Interaction(
        municipality_id=event.municipality_id, citizen_id=event.citizen_id, kind=InteractionKind.LEARNING,
        interaction_key=f"{event.item_kind}:{event.item_id}", service_key=f"{event.item_kind}:{event.item_id}",
        service_label=event.title, occurred_at=_moment(event.completed_at)))


def on_internship_completed(event) -> None:
    """internships.contracts.InternshipCompleted: the internship's last day has passed (the daily run marks it
    completed once). One question per application; the event carries no time, so it is asked now."""
    with override("da"):
        label = _("Internship at a company")
    pulse_request(interaction=Interaction(
        municipality_id=event.municipality_id, citizen_id=event.citizen_id, kind=InteractionKind.INTERNSHIP,
        interaction_key=f"internship:{event.application_id}", service_key="internship", service_label=label,
        occurred_at=_moment(getattr(event, "completed_at", None) or timezone.now())))
