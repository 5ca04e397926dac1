"""What a feed format produces: normalised records, or an error for one record with its position."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime


@dataclass
class FeedSkill:
    uri: str = ""
    label: str = ""
    importance: str = "must"  # "must" or "nice"
    weight: float = 1.0


@dataclass
class FeedRecord:
    position: str  # "ad 3", "line 7": where the record is in the file, for error reports
    external_id: str
    title: str
    employer_name: str
    description: str = ""
    employer_cvr: str = ""
    occupation_uri: str = ""
    occupation_label: str = ""
    isco_code: str = ""
    skills: list[FeedSkill] = field(default_factory=list)
    address: str = ""
    postcode: str = ""
    city: str = ""
    municipality_code: str = ""
    country: str = ""  # ISO 3166 alpha-2 when known
    latitude: float | None = None
    longitude: float | None = None
    hours: str = ""
    hours_per_week: Decimal | None = None
    employment_type: str = ""
    salary_text: str = ""
    positions: int = 1
    application_deadline: date | None = None
    apply_url: str = ""
    apply_email: str = ""
    apply_contact: str = ""
    published_at: datetime | None = None
    changed_at: datetime | None = None
    status: str = "active"
    is_synthetic: bool = False


@dataclass
class RecordError:
    position: str
    reason: str


class FeedFormat:
    """A feed format: turns the bytes of one file or response into records and record errors.

    `parse` raises `ValidationFailed` when the file as a whole cannot be read (then the
    import changes nothing); a single bad record is yielded as a `RecordError`.
    """

    name: str = ""
    media_types: tuple[str, ...] = ()

    def parse(self, data: bytes) -> Iterator[FeedRecord | RecordError]:  # pragma: no cover - interface
        raise NotImplementedError


class RecordInvalid(Exception):
    """Raised inside a parser for one bad record; the parser turns it into a RecordError."""


def to_datetime(value) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value / 1000 if value > 10**11 else value, tz=timezone.get_current_timezone())
    text = str(value).strip()
    parsed = parse_datetime(text.replace("Z", "+00:00")) if "T" in text or " " in text else None
    if parsed is None:
        day = parse_date(text[:10]) if len(text) >= 10 else None
        if day is None:
            raise RecordInvalid(f"'{text}' is not a date")
        parsed = datetime(day.year, day.month, day.day)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_current_timezone())
    return parsed


def to_date(value) -> date | None:
    moment = to_datetime(value)
    if moment is None:
        return None
    return timezone.localtime(moment).date() if settings.USE_TZ else moment.date()


def to_decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", ".")).quantize(Decimal("0.1"))
    except InvalidOperation:
        raise RecordInvalid(f"'{value}' is not a number") from None


def to_float(value) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        raise RecordInvalid(f"'{value}' is not a number") from None


HOURS_WORDS = {
    "full_time": {"full_time", "fulltime", "full-time", "fuldtid", "heltid", "fuld tid", "full time"},
    "part_time": {"part_time", "parttime", "part-time", "deltid", "part time"},
}
EMPLOYMENT_WORDS = {
    "permanent": {"permanent", "fast", "fastansættelse", "fast ansættelse", "tillsvidare", "vanlig anställning",
                  "full_time", "part_time"},
    "temporary": {"temporary", "tidsbegrænset", "midlertidig", "tidsbegränsad anställning", "contractor"},
    "seasonal": {"seasonal", "sæson", "sommerjob", "sommarjobb / feriejobb", "sommarjobb"},
    "substitute": {"substitute", "vikar", "vikariat"},
    "apprenticeship": {"apprenticeship", "elev", "lærling", "elevplads", "lærlingeplads"},
    "internship": {"internship", "intern", "praktik", "virksomhedspraktik"},
    "hourly": {"hourly", "per_diem", "timeløn", "behovsanställning", "afløser"},
}


def normalise_hours(value: str) -> str:
    low = (value or "").strip().lower()
    for key, words in HOURS_WORDS.items():
        if low in words:
            return key
    return ""


def normalise_employment_type(value: str) -> str:
    low = (value or "").strip().lower()
    for key, words in EMPLOYMENT_WORDS.items():
        if low in words:
            return key
    return ""
