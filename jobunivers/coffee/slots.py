"""Meeting times inside an invitation's window: every weekday from the first to the last day, from the day's
start in steps of the meeting's length, each meeting ending by the day's end (Danish time). A simple choice
rather than the booking app's advisers' calendars (ADR 0110): the employer is not an adviser of the job
centre, and the window is the employer's own."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

MAX_SLOTS = 2000  # a window of 90 days in 15-minute steps stays far below this; it bounds every list


def all_slots(*, first_day: datetime.date, last_day: datetime.date, day_starts: datetime.time,
              day_ends: datetime.time, minutes: int) -> list[datetime.datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    step = datetime.timedelta(minutes=max(1, int(minutes)))
    result: list[datetime.datetime] = []
    day = first_day
    while day <= last_day and len(result) < MAX_SLOTS:
        if day.weekday() < 5:
            start = datetime.datetime.combine(day, day_starts, tzinfo=zone)
            end = datetime.datetime.combine(day, day_ends, tzinfo=zone)
            while start + step <= end and len(result) < MAX_SLOTS:
                result.append(start)
                start += step
        day += datetime.timedelta(days=1)
    return result


def slots_of(invitation) -> list[datetime.datetime]:
    return all_slots(first_day=invitation.first_day, last_day=invitation.last_day, day_starts=invitation.day_starts,
                     day_ends=invitation.day_ends, minutes=invitation.meeting_minutes)


def free_slots(invitation, *, taken: set[datetime.datetime], now: datetime.datetime | None = None
               ) -> list[datetime.datetime]:
    """Times still to come that no candidate has: one winner per time (the database's constraint too)."""
    now = now or timezone.now()
    return [slot for slot in slots_of(invitation) if slot > now and slot not in taken]
