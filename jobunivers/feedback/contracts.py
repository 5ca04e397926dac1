"""What feedback takes from other apps: one interaction the citizen just had. Frozen dataclasses; no Django.

Feedback sits above the apps whose interactions it asks about (booking, dialogue, assistant, marketplace,
learning, internships, and the staff workspace's summonses). Those apps never import feedback: each publishes
its own event on commit, and `config/events.py` subscribes a handler of `jobunivers.feedback.handlers` to it. The
handler reads the event's attributes (it does not import the event type, ADR 0061), turns it into an
`Interaction` and calls `services.pulse_request`.

A new source (the learning app's "course or lesson completed") needs only an event with the attributes its
handler reads, and one line in config/events.py, e.g.:

    # learning/contracts.py
    @dataclass(frozen=True)
    class LearningCompleted:
        municipality_id: int
        citizen_id: int
        item_kind: str        # "lesson" or "course"
        item_id: int
        title: str            # the lesson's or course's title, as citizens see it
        completed_at: datetime.datetime

    # config/events.py
    subscribe(LearningCompleted, feedback_handlers.on_learning_completed)

What `pulse_request` guarantees: one question per (citizen, kind, interaction_key), however often the event
arrives; at most one question sent per citizen and day (the others are written as skipped and counted);
the question goes through the notifications outbox (kind "feedback"), so the citizen's preferences and quiet
hours apply.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Interaction:
    municipality_id: int
    citizen_id: int
    kind: str                    # one of feedback.models.InteractionKind
    interaction_key: str         # unique per interaction of this kind, e.g. "booking:12"
    service_key: str             # what is rated, e.g. "booking:video", "offer:5", "card:dagpenge"
    service_label: str           # the service as staff read it on the ratings page (Danish)
    occurred_at: datetime.datetime


@dataclass(frozen=True)
class RatingCell:
    """One row of the ratings page: answers to questions about one service (or all of an interaction
    type) in one month. Figures are None when fewer than 5 answered (small cells are suppressed)."""

    kind: str
    service_key: str             # "" for the row of the whole interaction type
    service_label: str
    answers: int | None
    average_score: float | None  # for 1–5 questions
    share_yes: float | None      # for yes/no questions, 0–1
    unhappy: int | None


@dataclass(frozen=True)
class ScoreSummary:
    """All 1–5 answers ever given about one service (or one interaction type): their average and how many.
    Only made from 5 answers or more (small cells are left out)."""

    answers: int
    average: float
