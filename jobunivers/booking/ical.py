"""iCalendar (RFC 5545/5546) messages for a booking: one stable UID per booking, SEQUENCE increasing
with every change, METHOD:REQUEST for a new or moved conversation and METHOD:CANCEL when it is off."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

PRODID = "-//Jobunivers//Booking//DA"


def booking_uid(booking) -> str:
    return f"{booking.uid}@jobunivers"


def where(booking) -> str:
    if booking.channel == "video":
        return booking.video_link or _("The video link follows before the conversation.")
    if booking.channel == "phone":
        return _("The adviser calls you on your phone number.")
    return str(booking.location) if booking.location_id else _("At the job centre")


def invitation_ics(*, booking, method: str, summary: str, description: str,
                   now: datetime.datetime | None = None) -> str:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("sequence", booking.sequence)
    event.add("dtstamp", (now or timezone.now()).astimezone(datetime.UTC))
    event.add("dtstart", booking.starts_at.astimezone(datetime.UTC))
    event.add("dtend", booking.ends_at.astimezone(datetime.UTC))
    event.add("summary", summary)
    event.add("description", description)
    event.add("location", where(booking))
    if booking.channel == "video" and booking.video_link:
        event.add("url", booking.video_link)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
