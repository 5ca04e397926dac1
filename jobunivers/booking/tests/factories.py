"""Test helpers for booking: an adviser with weekly hours, a meeting place, and a future weekday."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from jobunivers.booking import closed_days
from jobunivers.booking.models import BookingSettings, Location, WeeklyAvailability


def location(municipality, name="Jobcentret"):
    return Location.all_tenants.create(municipality=municipality, name=name, address="Værkmestergade 15",
                                       room="Mødelokale 2")


def hours(municipality, adviser, *, weekdays=range(5), starts=datetime.time(9, 0), ends=datetime.time(12, 0),
          place=None, **kwargs):
    place = place or location(municipality)
    return [WeeklyAvailability.all_tenants.create(municipality=municipality, adviser=adviser, weekday=day,
                                                  starts=starts, ends=ends, location=place, **kwargs)
            for day in weekdays]


def policy(municipality, **values):
    return BookingSettings.all_tenants.update_or_create(municipality=municipality, defaults=values)[0]


def weekday_ahead(days: int = 3) -> datetime.date:
    """The first Monday–Thursday at least `days` days from today (well past a one-working-day notice) that is
    open, with the next day open too (tests book the day after): no holiday or default closing day."""
    def open_day(day: datetime.date) -> bool:
        return day.weekday() < 5 and not closed_days.is_closed(day, closed_days.default_closed_optional_days())

    day, working = timezone.localdate(), 0
    while (working < 2 or (day - timezone.localdate()).days < days or day.weekday() > 3 or not open_day(day)
           or not open_day(day + datetime.timedelta(days=1))):
        day += datetime.timedelta(days=1)
        working += open_day(day)
    return day


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE))
