"""Free slots: advisers' weekly hours minus absences, bookings (with the pause between them), full
days and the notice limit. Pure computation over three queries, day by day, so the next free times
come first and the work stops once enough are found."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings as django_settings
from django.db.models import FloatField, Func
from django.utils import timezone

from . import closed_days
from .models import (
    ACTIVE_STATUSES,
    AvailabilityException,
    Booking,
    BookingSettings,
    Channel,
    WeeklyAvailability,
)

HORIZON_DAYS = 28
BUSY_CHUNK_DAYS = 1


@dataclass(frozen=True)
class Policy:
    slot_minutes: int = 15
    notice_working_days: int = 1
    buffer_minutes: int = 0
    daily_cap: int = 16
    video_provider: str = "room"
    closed_optional: tuple[str, ...] = tuple(closed_days.default_closed_optional_days())

    def closed(self, day: datetime.date) -> bool:
        """No bookings on a public holiday or on a customary closing day the municipality chose."""
        return closed_days.is_closed(day, self.closed_optional)


@dataclass(frozen=True)
class Slot:
    adviser_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    channels: tuple[str, ...]
    location_id: int | None
    own_consultant: bool = False


def policy_for(municipality_id: int) -> Policy:
    row = BookingSettings.all_tenants.filter(municipality_id=municipality_id).first()
    if row is None:
        return Policy()
    return Policy(slot_minutes=row.slot_minutes, notice_working_days=row.notice_working_days,
                  buffer_minutes=row.buffer_minutes, daily_cap=row.daily_cap_per_adviser,
                  video_provider=row.video_provider, closed_optional=tuple(row.closed_optional_days or ()))


def add_working_days(moment: datetime.datetime, days: int, closed=None) -> datetime.datetime:
    """The same local time `days` working days (Monday–Friday, not a closed day) later; a moment on a
    weekend or closed day counts from the next working day. `closed(day)` says which days are closed."""
    def working(day: datetime.date) -> bool:
        return day.weekday() < 5 and not (closed and closed(day))

    local = timezone.localtime(moment)
    while not working(local.date()):
        local = (local + datetime.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    remaining = days
    while remaining > 0:
        local += datetime.timedelta(days=1)
        if working(local.date()):
            remaining -= 1
    zone = ZoneInfo(django_settings.TIME_ZONE)
    return datetime.datetime.combine(local.date(), local.time(), tzinfo=zone)


def notice_limit(policy: Policy, now: datetime.datetime | None = None) -> datetime.datetime:
    """The earliest start a citizen may book, move to, or still move or cancel."""
    return add_working_days(now or timezone.now(), policy.notice_working_days, closed=policy.closed)


def _local(day: datetime.date, at: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, at, tzinfo=ZoneInfo(django_settings.TIME_ZONE))


@dataclass(frozen=True)
class _Rule:
    """The part of a weekly availability the slot computation reads (no model instances on this path)."""

    adviser_id: int
    starts: datetime.time
    ends: datetime.time
    channels: tuple[str, ...]
    location_id: int | None
    valid_from: datetime.date | None
    valid_until: datetime.date | None


_RULE_FIELDS = ("weekday", "adviser_id", "starts", "ends", "location_id", "valid_from", "valid_until", *Channel.values)


def _rules(municipality_id: int, adviser_ids) -> dict[int, list[_Rule]]:
    query = WeeklyAvailability.all_tenants.filter(municipality_id=municipality_id)
    if adviser_ids is not None:
        query = query.filter(adviser_id__in=list(adviser_ids))
    by_weekday: dict[int, list[_Rule]] = defaultdict(list)
    for weekday, adviser_id, starts, ends, location_id, valid_from, valid_until, *offered in (
            query.order_by("starts", "adviser_id", "id").values_list(*_RULE_FIELDS)):
        channels = tuple(channel for channel, on in zip(Channel.values, offered, strict=True) if on)
        by_weekday[weekday].append(_Rule(adviser_id, starts, ends, channels, location_id, valid_from, valid_until))
    return by_weekday


class _Epoch(Func):
    """Whole seconds since the epoch, computed by the database: the listing compares plain numbers, and
    building an aware datetime for each of a day's hundreds of bookings cost more than the rest of it."""

    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):  # Django stores UTC text that julianday() reads
        return self.as_sql(compiler, connection, template="ROUND((julianday(%(expressions)s) - 2440587.5) * 86400.0)",
                           **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="ROUND(EXTRACT(EPOCH FROM %(expressions)s))::float8",
                           **extra)


def _busy(municipality_id: int, start: datetime.datetime, end: datetime.datetime, adviser_ids):
    """(adviser, local day) -> [(start, end)] of live bookings, in seconds since the epoch."""
    query = Booking.all_tenants.filter(municipality_id=municipality_id, status__in=ACTIVE_STATUSES,
                                       starts_at__lt=end, ends_at__gt=start)
    if adviser_ids is not None:
        query = query.filter(adviser_id__in=list(adviser_ids))
    intervals: dict[tuple[int, datetime.date], list] = defaultdict(list)
    zone = ZoneInfo(django_settings.TIME_ZONE)
    days: dict[float, datetime.date] = {}  # the local day of each quarter hour seen (UTC offsets are whole quarters)
    rows = query.annotate(begins=_Epoch("starts_at"), finishes=_Epoch("ends_at")).values_list(
        "adviser_id", "begins", "finishes")
    for adviser_id, begins, finishes in rows:
        quarter = begins - begins % 900
        day = days.get(quarter)
        if day is None:
            day = days[quarter] = datetime.datetime.fromtimestamp(quarter, zone).date()
        intervals[(adviser_id, day)].append((begins, finishes))
    return intervals


def _absences(municipality_id: int, first: datetime.date, last: datetime.date):
    absent: dict[tuple[int, datetime.date], list] = defaultdict(list)
    for row in AvailabilityException.all_tenants.filter(municipality_id=municipality_id, day__gte=first,
                                                        day__lte=last):
        starts = _local(row.day, row.starts or datetime.time(0, 0))
        ends = _local(row.day, row.ends) if row.ends else _local(row.day, datetime.time(0, 0)) + datetime.timedelta(days=1)
        absent[(row.adviser_id, row.day)].append((starts.timestamp(), ends.timestamp()))
    return absent


def _overlaps(start, end, intervals) -> bool:
    return any(s < end and start < e for s, e in intervals)


def adviser_slots(*, municipality_id: int, start: datetime.datetime, end: datetime.datetime,
                  policy: Policy, channel: str | None = None, adviser_ids=None, honour_notice: bool = True,
                  now: datetime.datetime | None = None):
    """Yield (day, [Slot...]) day by day from start to end: every free slot of every adviser."""
    now = now or timezone.now()
    earliest = max(start, notice_limit(policy, now) if honour_notice else now)
    if earliest >= end:
        return
    first_day, last_day = timezone.localtime(earliest).date(), timezone.localtime(end).date()
    rules = _rules(municipality_id, adviser_ids)
    absent = _absences(municipality_id, first_day, last_day)
    # Bookings are read a few days at a time: the next free times are usually found in the first
    # days, so a listing rarely reads the bookings of all four weeks.
    busy: dict = {}
    fetched_until = first_day
    length, buffer = 60 * policy.slot_minutes, 60 * policy.buffer_minutes
    first, last = earliest.timestamp(), end.timestamp()
    zone = ZoneInfo(django_settings.TIME_ZONE)
    day = first_day
    while day <= last_day:
        if not rules.get(day.weekday()) or policy.closed(day):
            day += datetime.timedelta(days=1)
            continue
        if day >= fetched_until:
            fetched_until = min(day + datetime.timedelta(days=BUSY_CHUNK_DAYS), last_day + datetime.timedelta(days=1))
            margin = datetime.timedelta(seconds=buffer)
            busy = _busy(municipality_id, max(_local(day, datetime.time(0, 0)), earliest) - margin,
                         _local(fetched_until, datetime.time(0, 0)) + margin, adviser_ids)
        found: list[Slot] = []
        for rule in rules.get(day.weekday(), ()):
            if (rule.valid_from and day < rule.valid_from) or (rule.valid_until and day > rule.valid_until):
                continue
            channels = rule.channels
            if channel and channel not in channels:
                continue
            key = (rule.adviser_id, day)
            booked = busy.get(key, [])
            if len(booked) >= policy.daily_cap:
                continue
            cursor, stop = _local(day, rule.starts).timestamp(), _local(day, rule.ends).timestamp()
            away = absent.get(key, ())
            while cursor + length <= stop:
                slot_end = cursor + length
                if (first <= cursor and slot_end <= last and not _overlaps(cursor, slot_end, away)
                        and not _overlaps(cursor - buffer, slot_end + buffer, booked)):
                    starts_at = datetime.datetime.fromtimestamp(cursor, zone)
                    found.append(Slot(rule.adviser_id, starts_at, datetime.datetime.fromtimestamp(slot_end, zone),
                                      channels, rule.location_id))
                cursor = slot_end + buffer
        if found:
            yield day, found
        day += datetime.timedelta(days=1)


def offers(*, municipality_id: int, policy: Policy, start: datetime.datetime | None = None, days: int = HORIZON_DAYS,
           channel: str | None = None, consultant_id: int | None = None, limit: int = 24,
           now: datetime.datetime | None = None) -> list[Slot]:
    """The next free times, one offer per start time: the citizen's own consultant when free then,
    otherwise the adviser with the most free capacity that day (round robin weighted by capacity;
    ties go to whoever has fewer bookings in the period, then by id)."""
    now = now or timezone.now()
    start = start or now
    end = start + datetime.timedelta(days=days)
    result: list[Slot] = []
    load: dict[int, int] = defaultdict(int)
    for _day, slots in adviser_slots(municipality_id=municipality_id, start=start, end=end, policy=policy,
                                     channel=channel, now=now):
        capacity: dict[int, int] = defaultdict(int)
        by_time: dict[datetime.datetime, list[Slot]] = defaultdict(list)
        for slot in slots:
            capacity[slot.adviser_id] += 1
            by_time[slot.starts_at].append(slot)
        for starts_at in sorted(by_time):
            candidates = by_time[starts_at]
            own = [s for s in candidates if s.adviser_id == consultant_id]
            if own:
                chosen = Slot(**{**own[0].__dict__, "own_consultant": True})
            else:
                chosen = max(candidates, key=lambda s: (capacity[s.adviser_id], -load[s.adviser_id], -s.adviser_id))
            capacity[chosen.adviser_id] -= 1
            load[chosen.adviser_id] += 1
            result.append(chosen)
            if len(result) >= limit:
                return result
    return result


def slot_offered(*, municipality_id: int, policy: Policy, adviser_id: int, starts_at: datetime.datetime,
                 channel: str, honour_notice: bool, now: datetime.datetime | None = None) -> Slot | None:
    """The adviser's free slot at exactly this time in this channel, or None (taken, away, not offered)."""
    day_start = _local(timezone.localtime(starts_at).date(), datetime.time(0, 0))
    for _day, slots in adviser_slots(municipality_id=municipality_id, start=day_start,
                                     end=day_start + datetime.timedelta(days=1), policy=policy, channel=channel,
                                     adviser_ids=[adviser_id], honour_notice=honour_notice, now=now):
        for slot in slots:
            if slot.starts_at == starts_at:
                return slot
    return None
