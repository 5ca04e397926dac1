"""What a feed format produces: normalised records, or an error for one record with its position."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _


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


# What a parser turns into a RecordError for one record: any of these from outside data is a bad record,
# never a failed file (OverflowError: 10**400 as a float or a timestamp; RecursionError: deep nesting).
RECORD_ERRORS = (RecordInvalid, ValueError, TypeError, AttributeError, KeyError, IndexError, ArithmeticError,
                 RecursionError)


def record_error(position: str, error: Exception) -> RecordError:
    """A RecordError whose reason is the translated RecordInvalid text, or a translated generic one."""
    if isinstance(error, RecordInvalid):
        return RecordError(position=position, reason=str(error))
    return RecordError(position=position, reason=_("a field has a wrong type or value (%(error)s)") % {
        "error": type(error).__name__})


def text_of(value, field: str) -> str:
    """Text from a scalar of outside data: None is "", numbers become their digits, anything else is refused."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise RecordInvalid(_("%(field)s must be text") % {"field": field})


def to_datetime(value) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise RecordInvalid(_("'%(value)s' is not a date") % {"value": value})
    if isinstance(value, (int, float)):
        try:
            return datetime.fromtimestamp(value / 1000 if value > 10**11 else value, tz=timezone.get_current_timezone())
        except (OverflowError, ValueError, OSError):
            raise RecordInvalid(_("'%(value)s' is not a date") % {"value": str(value)[:40]}) from None
    if not isinstance(value, str):
        raise RecordInvalid(_("'%(value)s' is not a date") % {"value": str(value)[:40]})
    text = value.strip()
    try:
        parsed = parse_datetime(text.replace("Z", "+00:00")) if "T" in text or " " in text else None
        if parsed is None:
            day = parse_date(text[:10]) if len(text) >= 10 else None
            if day is None:
                raise RecordInvalid(_("'%(value)s' is not a date") % {"value": text[:40]})
            parsed = datetime(day.year, day.month, day.day)
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed, timezone.get_current_timezone())
        parsed.astimezone(timezone.get_current_timezone())  # out of range near year 1 or 9999
    except (ValueError, OverflowError):
        raise RecordInvalid(_("'%(value)s' is not a date") % {"value": text[:40]}) from None
    return parsed


def to_date(value) -> date | None:
    moment = to_datetime(value)
    if moment is None:
        return None
    return timezone.localtime(moment).date() if settings.USE_TZ else moment.date()


def to_decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise RecordInvalid(_("'%(value)s' is not a number") % {"value": str(value)[:40]})
    try:
        number = Decimal(str(value).strip().replace(",", "."))
        if not number.is_finite():
            raise InvalidOperation
        return number.quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise RecordInvalid(_("'%(value)s' is not a number") % {"value": str(value)[:40]}) from None


def to_float(value) -> float | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise RecordInvalid(_("'%(value)s' is not a number") % {"value": str(value)[:40]})
    try:
        return float(str(value).strip().replace(",", "."))
    except (ValueError, OverflowError):
        raise RecordInvalid(_("'%(value)s' is not a number") % {"value": str(value)[:40]}) from None


def to_int(value, *, default: int | None = None) -> int | None:
    """A whole number from an int or digits; "2.0" and 2.0 are 2, "2.5", true and "many" are refused."""
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        raise RecordInvalid(_("'%(value)s' is not a whole number") % {"value": value})
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if len(text) > 40:
        raise RecordInvalid(_("'%(value)s' is not a whole number") % {"value": text[:40] + "…"})
    try:
        number = Decimal(text)
        if not number.is_finite() or number != number.to_integral_value():
            raise InvalidOperation
        return int(number)
    except (InvalidOperation, ValueError):
        raise RecordInvalid(_("'%(value)s' is not a whole number") % {"value": text}) from None


def decode_text(data: bytes) -> str:
    """Text of a UTF-8 (BOM allowed), UTF-16 or UTF-32 file. Invalid UTF-8 bytes are kept as lone
    surrogates, so only the records that hold them are refused (validation.storable_text), not the file."""
    import json

    encoding = json.detect_encoding(data)
    if encoding == "utf-8":
        return data.decode("utf-8-sig", errors="surrogateescape")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="surrogateescape")


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
