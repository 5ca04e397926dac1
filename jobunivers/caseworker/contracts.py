"""Events the staff workspace publishes (plain dataclasses; handlers are wired in config/events.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class SummonsHeld:
    """Staff recorded that a summons written by hand (caseworker.Conversation) was held; published once,
    when it becomes held. Summonses booked in a slot are booking's (booking.contracts.BookingHeld)."""

    municipality_id: int
    citizen_id: int
    conversation_id: int
    mode: str  # in_person | video | phone
    held_at: datetime.datetime
