"""Events the booking app publishes (plain dataclasses; handlers are wired in config/events.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class BookingNoShow:
    """The citizen did not come to a booked conversation (a self-booked conversation counts as a summons)."""

    municipality_id: int
    citizen_id: int
    booking_id: int
    starts_at: str  # ISO 8601


@dataclass(frozen=True)
class BookingHeld:
    """Staff recorded that a booked conversation was held (published once, when it becomes held)."""

    municipality_id: int
    citizen_id: int
    booking_id: int
    channel: str  # booking.models.Channel: physical | video | phone
    held_at: datetime.datetime


@dataclass(frozen=True)
class MinutesShared:
    municipality_id: int
    citizen_id: int
    minutes_id: int
    agreement_plan_item_ids: tuple[int, ...]


@dataclass(frozen=True)
class TimelineEntry:
    """A booking or minutes on the citizen page's timeline (caseworker reads these)."""

    kind: str  # "booking" | "minutes"
    id: int
    at: datetime.datetime
    title: str
    status: str
    url: str = ""
