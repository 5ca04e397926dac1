"""Reads of the booking app. A staff read of a citizen's bookings or minutes goes through an
`access_*` selector that checks `permissions` and writes the access-log entry in the same
transaction (ADR 0064); the citizen reading their own is not logged. Missing, another
municipality's and forbidden all raise the same NotFound."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from jobunivers.audit.services import citizen_access_record
from jobunivers.citizens import selectors as citizen_selectors
from jobunivers.core.errors import NotFound

from . import permissions, slots
from .contracts import TimelineEntry
from .models import (
    Booking,
    BookingStatus,
    BookingWindow,
    Invitation,
    Minutes,
    MinutesStatus,
    SelfBookingExemption,
)
from .services import consultant_id_for, is_exempt  # noqa: F401  (re-exported for views)


def free_times(*, citizen, channel: str | None = None, window: BookingWindow | None = None, limit: int = 24,
               now: datetime.datetime | None = None) -> list[slots.Slot]:
    """The next free times for this citizen, own consultant first; inside the window when one is given."""
    now = now or timezone.now()
    policy = slots.policy_for(citizen.municipality_id)
    start, days = now, slots.HORIZON_DAYS
    if window is not None:
        zone_start = datetime.datetime.combine(window.opens_on, datetime.time(0, 0),
                                               tzinfo=timezone.get_current_timezone())
        start = max(now, zone_start)
        days = max(1, (window.closes_on - timezone.localtime(start).date()).days + 1)
    return slots.offers(municipality_id=citizen.municipality_id, policy=policy, start=start, days=days,
                        channel=channel, consultant_id=consultant_id_for(citizen_id=citizen.pk,
                                                                        municipality_id=citizen.municipality_id), limit=limit, now=now)


def open_windows_for(*, citizen_id: int) -> list[BookingWindow]:
    return list(BookingWindow.objects.filter(citizen_id=citizen_id, fulfilled_at__isnull=True).order_by("closes_on"))


def own_window(*, citizen, window_id: int) -> BookingWindow | None:
    return BookingWindow.objects.filter(pk=window_id, citizen_id=citizen.pk, fulfilled_at__isnull=True).first()


def own_bookings(*, citizen) -> list[Booking]:
    return list(Booking.objects.filter(citizen_id=citizen.pk).select_related("location").order_by("-starts_at")[:50])


def access_own_booking(*, actor, id: int) -> Booking:
    booking = Booking.objects.select_related("citizen", "location").filter(pk=id).first()
    if booking is None or not permissions.is_owner(actor, booking.citizen):
        raise NotFound
    return booking


@transaction.atomic
def access_booking(*, actor, id: int, purpose: str = "help") -> Booking:
    booking = Booking.objects.select_related("citizen__user", "location", "adviser").filter(pk=id).first()
    if booking is None or not permissions.can_view_booking(actor, booking):
        raise NotFound
    if not permissions.is_owner(actor, booking.citizen):
        citizen_access_record(actor=actor, municipality_id=booking.municipality_id, citizen_id=booking.citizen_id,
                              what="booking", purpose=purpose)
    return booking


def latest_invitation(*, booking: Booking) -> Invitation | None:
    return Invitation.objects.filter(booking_id=booking.pk).order_by("-sequence").first()


@transaction.atomic
def day_list(*, actor, municipality_id: int, adviser_id: int | None, day: datetime.date) -> list[Booking]:
    """An adviser's (or everyone's) conversations on a day; each citizen shown is access-logged."""
    if not permissions.can_view_day_list(actor, municipality_id):
        raise NotFound
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=zone)
    query = Booking.objects.filter(starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1)).exclude(
        status=BookingStatus.CANCELLED)
    if adviser_id is not None:
        query = query.filter(adviser_id=adviser_id)
    bookings = list(query.select_related("citizen__user", "location", "adviser").order_by("starts_at", "id"))
    citizen_access_record(actor=actor, municipality_id=municipality_id, citizen_id=None, action="search",
                          what="booking day list",
                          purpose="help", criterion=f"day={day.isoformat()} adviser={adviser_id or 'all'}")
    for citizen_id in sorted({b.citizen_id for b in bookings}):
        citizen_access_record(actor=actor, municipality_id=municipality_id, citizen_id=citizen_id,
                              what="booking day list", purpose="help")
    return bookings


@transaction.atomic
def access_minutes(*, actor, id: int, purpose: str = "help") -> Minutes:
    minutes = (Minutes.objects.select_related("citizen__user", "written_by", "corrects", "booking")
               .filter(pk=id).first())
    if minutes is None or not permissions.can_view_minutes(actor, minutes):
        raise NotFound
    if not permissions.is_owner(actor, minutes.citizen):
        citizen_access_record(actor=actor, municipality_id=minutes.municipality_id, citizen_id=minutes.citizen_id,
                              what="minutes", purpose=purpose)
    return minutes


def access_own_minutes(*, actor, id: int) -> Minutes:
    """The citizen's own shared minutes (drafts are the job centre's); anyone else gets NotFound."""
    minutes = Minutes.objects.select_related("citizen", "corrects").filter(pk=id, status=MinutesStatus.SHARED).first()
    if minutes is None or not permissions.is_owner(actor, minutes.citizen):
        raise NotFound
    return minutes


def correction_of(*, minutes: Minutes) -> Minutes | None:
    return Minutes.objects.filter(corrects_id=minutes.pk).first()


def own_minutes(*, citizen) -> list[Minutes]:
    return list(Minutes.objects.filter(citizen_id=citizen.pk, status=MinutesStatus.SHARED)
                .prefetch_related("agreements").order_by("-shared_at"))


@transaction.atomic
def access_citizen_for_booking(*, actor, citizen_id: int, purpose: str = "help"):
    """The citizen staff book for or write minutes about (logged as a read of the citizen)."""
    return citizen_selectors.access_citizen(actor=actor, id=citizen_id, purpose=purpose, what="booking")


@transaction.atomic
def timeline_for_citizen(*, actor, citizen_id: int, purpose: str = "help") -> list[TimelineEntry]:
    """Bookings and minutes for the caseworker's citizen page, newest first; logged as one read."""
    citizen = citizen_selectors.access_citizen(actor=actor, id=citizen_id, purpose=purpose, what="booking timeline")
    entries = [TimelineEntry(kind="booking", id=b.pk, at=b.starts_at, title=str(b.get_purpose_display()),
                             status=b.status)
               for b in Booking.objects.filter(citizen_id=citizen.pk).order_by("-starts_at")[:50]]
    entries += [TimelineEntry(kind="minutes", id=m.pk, at=m.shared_at or m.created_at,
                              title=m.talked_about[:120], status=m.status)
                for m in Minutes.objects.filter(citizen_id=citizen.pk).order_by("-created_at")[:50]]
    return sorted(entries, key=lambda e: e.at, reverse=True)


def exemption_for(*, citizen_id: int) -> SelfBookingExemption | None:
    return SelfBookingExemption.objects.filter(citizen_id=citizen_id).first()


# --- Aggregates for analytics (no citizen's data leaves as text: ids and dates for the effect estimate) ---


def first_held_conversations(*, municipality_id: int) -> dict[int, datetime.date]:
    """Citizen id -> the day of their first held booked conversation, aggregated in the database
    (analytics' exposure "booked a conversation")."""
    from django.db.models import Min

    rows = (Booking.all_tenants.filter(municipality_id=municipality_id, status=BookingStatus.HELD)
            .values("citizen_id").annotate(first=Min("starts_at")).values_list("citizen_id", "first"))
    return {citizen_id: timezone.localdate(first) for citizen_id, first in rows}



def booking_counts(*, municipality_ids: list[int] | None = None) -> dict[int, tuple[int, int]]:
    """Municipality id -> (bookings not cancelled, conversations held), one grouped query (analytics)."""
    from django.db.models import Count, Q

    rows = Booking.all_tenants.exclude(status=BookingStatus.CANCELLED)
    if municipality_ids is not None:
        rows = rows.filter(municipality_id__in=municipality_ids)
    return {mid: (booked, held) for mid, booked, held in rows.values("municipality_id").annotate(
        booked=Count("id"), held=Count("id", filter=Q(status=BookingStatus.HELD))).values_list(
        "municipality_id", "booked", "held")}


def held_conversation_citizens(*, municipality_id: int) -> int:
    """Citizens of the municipality with at least one held booked conversation."""
    return (Booking.all_tenants.filter(municipality_id=municipality_id, status=BookingStatus.HELD)
            .values("citizen_id").distinct().count())


def citizens_who_booked_since(*, municipality_id: int, since: dict[int, datetime.datetime]) -> set[int]:
    """Of these citizens (id -> a time), those who made a booking (not cancelled) after their time
    (journeys' condition "booked a conversation"). Ids only.

    Up to ONE_PASS citizens are looked up 500 at a time (SQLite's limit on query parameters); more (an
    experiment's results over a whole municipality) are read in one grouped pass over the municipality's
    bookings: 234 look-ups of 500 took 0.7 s each on SQLite with 2,000,000 bookings, the one pass a few."""
    from django.db.models import Max

    bookings = Booking.all_tenants.filter(municipality_id=municipality_id).exclude(status=BookingStatus.CANCELLED)
    ids = sorted(since)
    if len(ids) > ONE_PASS:
        parts = [bookings]
    else:
        parts = [bookings.filter(citizen_id__in=ids[start:start + 500]) for start in range(0, len(ids), 500)]
    found: set[int] = set()
    for part in parts:
        rows = part.values("citizen_id").annotate(last=Max("created_at")).values_list("citizen_id", "last")
        found.update(citizen_id for citizen_id, last in rows if citizen_id in since and last > since[citizen_id])
    return found


ONE_PASS = 5000  # citizens above which citizens_who_booked_since reads the municipality in one pass
