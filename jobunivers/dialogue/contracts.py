"""What other apps may rely on when they talk to the dialogue app. Frozen dataclasses; no Django.

Open a thread from another app (booking, summons, plan) through the service:

    from jobunivers.dialogue import services as dialogue
    from jobunivers.dialogue.contracts import About

    thread = dialogue.thread_open(actor=user, citizen=citizen, subject="Om din samtale",
                                  text="...", about=About(kind="booking", id=booking.pk))
    dialogue.message_send(actor=user, thread=thread, text="...")

`About` is a generic reference (kind + id) so this app never imports the apps above it; the kind
is one of ABOUT_KINDS. A citizen's message makes the thread wait for the job centre; a staff
answer clears that (and makes it wait for the citizen only when staff ask for an answer).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


class WaitingFor:
    JOB_CENTRE = "job_centre"
    CITIZEN = "citizen"
    NOBODY = "nobody"


class Side:
    CITIZEN = "citizen"
    JOB_CENTRE = "job_centre"


ABOUT_KINDS = ("plan_item", "booking", "summons", "job_posting", "minutes", "assistant", "feedback")
# What staff read after "About:" on a thread (never the kind's code).
ABOUT_LABELS = {
    "plan_item": _("an activity in the plan"),
    "booking": _("a booked conversation"),
    "summons": _("a summons"),
    "job_posting": _("a job posting"),
    "minutes": _("minutes of a conversation"),
    "assistant": _("a question the digital assistant passed on"),
    "feedback": _("feedback the citizen gave"),
}


@dataclass(frozen=True)
class About:
    """What a thread is about: another app's object by kind and id (never a foreign key)."""

    kind: str
    id: int


@dataclass(frozen=True)
class ThreadSummary:
    """A thread as other apps see it (e.g. a booking page linking to its conversation)."""

    thread_id: int
    municipality_id: int
    citizen_id: int
    subject: str
    waiting_for: str
    about: About | None
    last_message_at: datetime.datetime | None
    archived: bool


@dataclass(frozen=True)
class MessageAnswered:
    """The job centre wrote in a thread that was waiting for it (published on commit): the citizen's
    question was answered. A later message in the same exchange, before the citizen writes again, is not."""

    municipality_id: int
    citizen_id: int
    thread_id: int
    message_id: int
    about_kind: str  # one of ABOUT_KINDS, or "" for a thread about nothing in particular
    answered_at: datetime.datetime
