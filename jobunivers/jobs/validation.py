"""The one place that decides whether a job posting may be written, and what the read paths may show.

Every source (JobTech, JSON-LD, CSV, the employer's form) goes through `clean_record` before a
posting is written: each field is checked against its column (lengths, digits, integer range) and
its domain (dates in a sane window, coordinates on the globe and in Denmark for Danish postings,
http(s)/mailto links only, no NUL characters, no text PostgreSQL cannot store). A record that fails
raises `RecordInvalid` with a translated reason; the import skips it and records where and why.

Why here and not in each parser: SQLite stores an over-long or out-of-range value without a word,
PostgreSQL refuses it with a `DataError` that would abort the whole file. Checking once, against
the model's own column definitions, keeps both databases and all parsers in agreement.

The read paths use `readable_filter`, `safe_url` and `shown_description` so that a row stored
before these rules (or written around them) is skipped or shown safely instead of breaking search,
the feed or the API.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import EmploymentType, Hours, JobPosting, PostingStatus
from .safe_text import DESCRIPTION_MAX_CHARS, safe_url
from .sources.base import FeedRecord, FeedSkill, RecordInvalid

EARLIEST_DAY = date(2000, 1, 1)
PUBLISHED_AHEAD = timedelta(days=366)  # a posting may be announced up to a year ahead
DEADLINE_AHEAD = timedelta(days=5 * 366)  # an application deadline at most about five years ahead
LOOKUP_MAX_CHARS = 500  # occupation and skill references are looked up, not stored
EMAIL_MAX_CHARS = 254  # RFC 5321 path limit; also Django's EmailField
MAX_POSITIONS = 10_000
MAX_HOURS_PER_WEEK = Decimal("168.0")
MAX_SKILLS = 200
MAX_SKILL_WEIGHT = 1000.0
# Denmark with its waters (postcode centres reach 4.07 E and 15.68 E, see taxonomy_postcode) and Bornholm.
DENMARK = (54.3, 58.1, 3.0, 15.9)  # south, north, west, east
CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)

_STATUSES = {s.value for s in PostingStatus}
_HOURS = {h.value for h in Hours}
_EMPLOYMENT_TYPES = {t.value for t in EmploymentType}
_DIGITS = re.compile(r"[0-9]*")
_POSTCODE = re.compile(r"[0-9A-Za-z -]*")

# Text fields a record writes to a column, and whether an over-long value is cut (free text from
# the ad) or refused (identifiers and codes, where a cut value would be a different value).
_CUT = ("title", "employer_name", "address", "city", "salary_text", "apply_contact")
_REFUSE = ("external_id", "isco_code", "postcode", "municipality_code", "apply_url", "apply_email")


def _label(name: str) -> str:
    return str(getattr(JobPosting._meta.get_field(name), "verbose_name", name))


def _max_length(name: str) -> int:
    return getattr(JobPosting._meta.get_field(name), "max_length", None) or 0


def storable_text(value: str) -> bool:
    """PostgreSQL refuses NUL in text and the UTF-8 encoder refuses lone surrogates (from invalid bytes)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text(name: str, value, *, label: str | None = None) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordInvalid(_("%(field)s must be text") % {"field": label or _label(name)})
    if "\x00" in value:
        raise RecordInvalid(_("%(field)s contains a NUL character") % {"field": label or _label(name)})
    if not storable_text(value):
        raise RecordInvalid(_("%(field)s is not valid UTF-8 text") % {"field": label or _label(name)})
    return value.strip()


def cvr_is_valid(cvr: str) -> bool:
    """A Danish CVR number: 8 digits, not starting with 0, weighted sum 2765432 1 divisible by 11."""
    if len(cvr) != 8 or not cvr.isdigit() or cvr[0] == "0":
        return False
    return sum(int(digit) * weight for digit, weight in zip(cvr, CVR_WEIGHTS, strict=True)) % 11 == 0


def cvr_error(cvr: str) -> str | None:
    """The Danish-first message for a CVR number that is not valid, or None."""
    if not (len(cvr) == 8 and cvr.isdigit()):
        return _("A CVR number has 8 digits.")
    if not cvr_is_valid(cvr):
        return _("%(cvr)s is not a valid CVR number (the check digit does not match).") % {"cvr": cvr}
    return None


def finite_or_none(value) -> float | None:
    """A float that JSON can carry: None for NaN and infinities (stored before the checks)."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def published_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    now = now or timezone.now()
    earliest = timezone.make_aware(datetime.combine(EARLIEST_DAY, datetime.min.time()))
    return earliest, now + PUBLISHED_AHEAD


def deadline_window(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return EARLIEST_DAY, today + DEADLINE_AHEAD


def readable_filter(now: datetime | None = None) -> Q:
    """Rows whose dates lie in the windows the import enforces. Read paths filter with it, so a row
    written around the checks (by hand, by an older version) is left out instead of failing the page:
    a date past year 9999 cannot even be turned into a Python value."""
    earliest, latest = published_window(now)
    first_day, last_day = deadline_window(timezone.localtime(now).date() if now else None)
    return (Q(published_at__gte=earliest, published_at__lte=latest)
            & Q(changed_at__gte=earliest, changed_at__lte=latest)
            & (Q(application_deadline__isnull=True)
               | Q(application_deadline__gte=first_day, application_deadline__lte=last_day)))


def _moment(name: str, value, earliest: datetime, latest: datetime, *, required: bool) -> datetime | None:
    if value is None:
        if required:
            raise RecordInvalid(_("%(field)s is missing") % {"field": _label(name)})
        return None
    if not isinstance(value, datetime):
        raise RecordInvalid(_("%(field)s is not a date") % {"field": _label(name)})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if not earliest <= value <= latest:
        raise RecordInvalid(_("%(field)s %(value)s is outside %(first)s to %(last)s") % {
            "field": _label(name), "value": value.date().isoformat(), "first": earliest.date().isoformat(),
            "last": latest.date().isoformat()})
    return value


def _coordinates(record: FeedRecord) -> tuple[float | None, float | None]:
    latitude, longitude = record.latitude, record.longitude
    if latitude is None and longitude is None:
        return None, None
    if latitude is None or longitude is None:
        raise RecordInvalid(_("latitude and longitude must be given together"))
    if isinstance(latitude, bool) or isinstance(longitude, bool) or not isinstance(latitude, (int, float)) \
            or not isinstance(longitude, (int, float)):
        raise RecordInvalid(_("the coordinates must be numbers"))
    latitude, longitude = float(latitude), float(longitude)
    if not (math.isfinite(latitude) and math.isfinite(longitude) and -90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise RecordInvalid(_("the coordinates are outside the globe"))
    south, north, west, east = DENMARK
    if record.country == "DK" and not (south <= latitude <= north and west <= longitude <= east):
        raise RecordInvalid(_("the coordinates %(lat)s, %(lon)s are not in Denmark") % {
            "lat": round(latitude, 4), "lon": round(longitude, 4)})
    return latitude, longitude


def _hours_per_week(value) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, Decimal) or not value.is_finite():
        raise RecordInvalid(_("hours per week must be a number"))
    if not Decimal("0") < value <= MAX_HOURS_PER_WEEK:
        raise RecordInvalid(_("hours per week must be more than 0 and at most %(max)s, not %(value)s") % {
            "max": MAX_HOURS_PER_WEEK, "value": value if abs(value) < 10**9 else f"{value:.3e}"})
    return value.quantize(Decimal("0.1"))


def _positions(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordInvalid(_("the number of positions must be a whole number"))
    if not 1 <= value <= MAX_POSITIONS:
        shown = value if abs(value) < 10**12 else f"{value:.3e}"
        raise RecordInvalid(_("the number of positions must be from 1 to %(max)d, not %(value)s") % {
            "max": MAX_POSITIONS, "value": shown})
    return value


def _skills(skills) -> list[FeedSkill]:
    if not isinstance(skills, list) or len(skills) > MAX_SKILLS:
        raise RecordInvalid(_("at most %(max)d skills per posting") % {"max": MAX_SKILLS})
    cleaned = []
    for skill in skills:
        uri = _text("title", skill.uri, label=_("skill"))
        label = _text("title", skill.label, label=_("skill"))
        if len(uri) > LOOKUP_MAX_CHARS or len(label) > LOOKUP_MAX_CHARS:
            raise RecordInvalid(_("a skill is longer than %(max)d characters") % {"max": LOOKUP_MAX_CHARS})
        weight = skill.weight
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not math.isfinite(weight) \
                or not 0 <= weight <= MAX_SKILL_WEIGHT:
            raise RecordInvalid(_("a skill's weight must be a number from 0 to %(max)d") % {"max": MAX_SKILL_WEIGHT})
        if skill.importance not in ("must", "nice"):
            raise RecordInvalid(_("a skill's importance must be must or nice"))
        if uri or label:
            cleaned.append(replace(skill, uri=uri, label=label, weight=float(weight)))
    return cleaned


def clean_record(record: FeedRecord, *, now: datetime | None = None) -> FeedRecord:
    """The record with every field checked against its column and domain; raises RecordInvalid.

    Free text longer than its column (title, employer, address, city, salary, contact) is cut to the
    column; identifiers, codes, addresses for applying and descriptions over the cap are refused; a CVR
    number that fails its check is left out.
    """
    now = now or timezone.now()
    values: dict = {}
    for name in _CUT:
        text = _text(name, getattr(record, name))
        values[name] = text[:_max_length(name)].strip()
    for name in _REFUSE:
        text = _text(name, getattr(record, name))
        limit = EMAIL_MAX_CHARS if name == "apply_email" else _max_length(name)
        if len(text) > limit:
            raise RecordInvalid(_("%(field)s is longer than %(max)d characters") % {"field": _label(name), "max": limit})
        values[name] = text
    if not values["external_id"]:
        raise RecordInvalid(_("%(field)s is missing") % {"field": _label("external_id")})
    status = record.status
    if status not in _STATUSES:
        raise RecordInvalid(_("unknown status '%(value)s'") % {"value": str(status)[:40]})
    removal = status == PostingStatus.WITHDRAWN and not values["title"]
    earliest, latest = published_window(now)
    if removal:  # a removal notice only withdraws a posting: nothing else is written
        changed_at = _moment("changed_at", record.changed_at, earliest, latest, required=False)
        return replace(record, external_id=values["external_id"], changed_at=changed_at, status=status)
    published_at = _moment("published_at", record.published_at, earliest, latest, required=True)
    changed_at = _moment("changed_at", record.changed_at, earliest, latest, required=False)
    description = _text("description", record.description)
    if len(description) > DESCRIPTION_MAX_CHARS:
        raise RecordInvalid(_("the description is longer than %(max)s characters") % {
            "max": f"{DESCRIPTION_MAX_CHARS:,}".replace(",", ".")})
    for name in ("title", "employer_name"):
        if not values[name]:
            raise RecordInvalid(_("%(field)s is missing") % {"field": _label(name)})
    if not (_DIGITS if record.country in ("", "DK") else _POSTCODE).fullmatch(values["postcode"]):
        raise RecordInvalid(_("%(field)s must be digits, not '%(value)s'") % {
            "field": _label("postcode"), "value": values["postcode"][:20]})
    for name in ("isco_code", "municipality_code"):
        if not _DIGITS.fullmatch(values[name]):
            raise RecordInvalid(_("%(field)s must be digits, not '%(value)s'") % {
                "field": _label(name), "value": values[name][:20]})
    if values["isco_code"] and len(values["isco_code"]) != 4:
        raise RecordInvalid(_("the ISCO-08 code must have 4 digits"))
    # A feed's CVR is optional and often a foreign organisation number: one that fails the modulus-11
    # check is not stored (no posting is lost for it); the employer's own form refuses it instead.
    cvr = _text("employer_cvr", record.employer_cvr)
    values["employer_cvr"] = cvr if cvr_is_valid(cvr) else ""
    if values["apply_url"] and not safe_url(values["apply_url"]):
        raise RecordInvalid(_("the application address must be an http(s) or mailto address"))
    if values["apply_email"]:
        try:
            validate_email(values["apply_email"])
        except ValidationError:
            raise RecordInvalid(_("the application e-mail address is not valid")) from None
    for name in ("occupation_uri", "occupation_label", "country"):
        text = _text("occupation", getattr(record, name), label=_("occupation") if name != "country" else _("country"))
        if len(text) > LOOKUP_MAX_CHARS:
            raise RecordInvalid(_("%(field)s is longer than %(max)d characters") % {
                "field": _("occupation") if name != "country" else _("country"), "max": LOOKUP_MAX_CHARS})
        values[name] = text
    if record.hours not in _HOURS:
        raise RecordInvalid(_("unknown working hours '%(value)s'") % {"value": str(record.hours)[:40]})
    if record.employment_type not in _EMPLOYMENT_TYPES:
        raise RecordInvalid(_("unknown employment type '%(value)s'") % {"value": str(record.employment_type)[:40]})
    deadline = record.application_deadline
    if deadline is not None:
        if isinstance(deadline, datetime) or not isinstance(deadline, date):
            raise RecordInvalid(_("%(field)s is not a date") % {"field": _label("application_deadline")})
        first_day, last_day = deadline_window(timezone.localtime(now).date())
        if not first_day <= deadline <= last_day:
            raise RecordInvalid(_("%(field)s %(value)s is outside %(first)s to %(last)s") % {
                "field": _label("application_deadline"), "value": deadline.isoformat(),
                "first": first_day.isoformat(), "last": last_day.isoformat()})
    latitude, longitude = _coordinates(record)
    return replace(
        record, **values, description=description, latitude=latitude, longitude=longitude,
        hours_per_week=_hours_per_week(record.hours_per_week), positions=_positions(record.positions),
        skills=_skills(record.skills), application_deadline=deadline, published_at=published_at,
        changed_at=changed_at, is_synthetic=bool(record.is_synthetic),
    )
