"""schema.org JobPosting as JSON-LD: one object, a list, an `@graph`, or an HTML page with
`<script type="application/ld+json">` blocks (what search engines read from job pages)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from jobunivers.core.errors import ValidationFailed

from ....validation import DESCRIPTION_MAX_CHARS
from ...base import (
    RECORD_ERRORS,
    FeedFormat,
    FeedRecord,
    FeedSkill,
    RecordError,
    RecordInvalid,
    decode_text,
    normalise_employment_type,
    normalise_hours,
    record_error,
    to_date,
    to_datetime,
    to_decimal,
    to_float,
    to_int,
)
from ...feed_registry import registry

SCRIPT = re.compile(r'<script[^>]+type=["\']application/ld\+json["\'][^>]*>(.*?)</script>', re.S | re.I)


def _documents(data: bytes) -> list:
    text = decode_text(data)
    try:
        blocks = [json.loads(text)] if text.lstrip()[:1] in "[{" else [json.loads(b) for b in SCRIPT.findall(text)]
    except (ValueError, RecursionError) as error:
        raise ValidationFailed(_("The file is not valid JSON: %(error)s") % {"error": str(error)[:200]}) from error
    items: list = []
    for block in blocks:
        for item in block if isinstance(block, list) else [block]:
            if isinstance(item, dict) and isinstance(item.get("@graph"), list):
                items.extend(item["@graph"])
            elif isinstance(item, dict) and item.get("@type") == "ItemList":
                items.extend((e.get("item", e) if isinstance(e, dict) else e) for e in item.get("itemListElement", []))
            else:
                items.append(item)
    if not items:
        raise ValidationFailed(_("No JSON-LD was found in the file."))
    return items


def _first(value):
    return value[0] if isinstance(value, list) and value else value


def _text(value) -> str:
    value = _first(value)
    if isinstance(value, dict):
        return str(value.get("name") or value.get("@value") or value.get("value") or "")
    return "" if value is None else str(value)


def _types(item: dict) -> set[str]:
    kind = item.get("@type")
    return set(kind if isinstance(kind, list) else [kind])


def _record(item, position: str) -> FeedRecord:
    if not isinstance(item, dict):
        raise RecordInvalid(_("not an object"))
    if "JobPosting" not in _types(item):
        raise RecordInvalid(_("@type is not JobPosting"))
    identifier = item.get("identifier")
    external_id = _text(identifier.get("value") if isinstance(identifier, dict) else identifier) or _text(
        item.get("@id") or item.get("url"))
    title = _text(item.get("title")).strip()
    organisation = _first(item.get("hiringOrganization")) or {}
    employer = _text(organisation).strip() if not isinstance(organisation, str) else organisation.strip()
    if not external_id:
        raise RecordInvalid(_("no identifier, @id or url"))
    if not title:
        raise RecordInvalid(_("no title"))
    if not employer:
        raise RecordInvalid(_("no hiringOrganization name"))
    if not item.get("datePosted"):
        raise RecordInvalid(_("no datePosted"))
    location = _first(item.get("jobLocation")) or {}
    address = location.get("address", {}) if isinstance(location, dict) else {}
    address = _first(address) if isinstance(address, list) else address
    if isinstance(address, str):
        address = {"streetAddress": address}
    geo = location.get("geo", {}) if isinstance(location, dict) else {}
    vat = "".join(ch for ch in str(organisation.get("vatID") or organisation.get("taxID") or "") if ch.isdigit()) if isinstance(organisation, dict) else ""
    employment = item.get("employmentType")
    employment_values = [str(e) for e in (employment if isinstance(employment, list) else [employment]) if e]
    hours = next((normalise_hours(e) for e in employment_values if normalise_hours(e)), "")
    employment_type = next((normalise_employment_type(e) for e in employment_values
                            if e.upper() not in {"FULL_TIME", "PART_TIME"} and normalise_employment_type(e)), "")
    if not employment_type and hours:
        employment_type = "permanent"
    salary = item.get("baseSalary")
    salary_text = ""
    if isinstance(salary, dict):
        value = salary.get("value")
        if isinstance(value, dict):
            amount = value.get("value") or "-".join(str(v) for v in (value.get("minValue"), value.get("maxValue")) if v)
            salary_text = " ".join(str(p) for p in (amount, salary.get("currency", ""), value.get("unitText", "")) if p)
        elif value:
            salary_text = f"{value} {salary.get('currency', '')}".strip()
    elif salary:
        salary_text = str(salary)
    occupation = item.get("occupationalCategory")
    occupation_text = _text(occupation)
    skills = []
    for importance, key in (("must", "skills"), ("nice", "qualifications")):
        values = item.get(key) or []
        for skill in values if isinstance(values, list) else [values]:
            if isinstance(skill, dict):
                skills.append(FeedSkill(uri=str(skill.get("@id") or skill.get("url") or ""), label=_text(skill), importance=importance))
            elif isinstance(skill, str) and skill.startswith("http"):
                skills.append(FeedSkill(uri=skill, importance=importance))
            elif isinstance(skill, str) and len(skill) < 120:
                skills.append(FeedSkill(label=skill, importance=importance))
    apply = item.get("directApply")
    contact = _first(item.get("applicationContact")) or {}
    country = _text(address.get("addressCountry")).upper() if isinstance(address, dict) else ""
    work_hours = item.get("workHours")
    hours_per_week = None
    if isinstance(work_hours, bool):
        raise RecordInvalid(_("workHours must be a number of hours"))
    if isinstance(work_hours, (int, float)) or (isinstance(work_hours, str) and re.fullmatch(r"\d+([.,]\d)?", work_hours.strip())):
        hours_per_week = to_decimal(work_hours)
    description = _text(item.get("description"))
    if len(description) > 4 * DESCRIPTION_MAX_CHARS:  # too long even before the markup is stripped
        raise RecordInvalid(_("the description is longer than %(max)s characters") % {
            "max": f"{DESCRIPTION_MAX_CHARS:,}".replace(",", ".")})
    positions = to_int(item.get("totalJobOpenings"), default=1) or 1  # 0 openings: one, as before
    return FeedRecord(
        position=position, external_id=external_id, title=title[:255], employer_name=employer[:255],
        description=strip_tags(description).strip(), employer_cvr=vat[-8:] if len(vat) >= 8 else "",
        occupation_uri=occupation_text if occupation_text.startswith("http") else "",
        occupation_label="" if occupation_text.startswith("http") else occupation_text,
        isco_code=occupation_text if re.fullmatch(r"\d{4}", occupation_text or "") else "",
        skills=skills, address=_text(address.get("streetAddress"))[:255], postcode=_text(address.get("postalCode"))[:10],
        city=_text(address.get("addressLocality"))[:100], country="DK" if country in {"DK", "DNK", "DENMARK", "DANMARK"} else country,
        latitude=to_float(geo.get("latitude")) if isinstance(geo, dict) else None,
        longitude=to_float(geo.get("longitude")) if isinstance(geo, dict) else None,
        hours=hours, hours_per_week=hours_per_week, employment_type=employment_type, salary_text=salary_text[:255],
        positions=positions,
        application_deadline=to_date(item.get("validThrough")),
        apply_url=_text(item.get("url")).strip() if apply is not False else "",
        apply_email=str(contact.get("email") or "") if isinstance(contact, dict) else "",
        apply_contact=str(contact.get("name") or contact.get("telephone") or "")[:255] if isinstance(contact, dict) else "",
        published_at=to_datetime(item.get("datePosted")),
        changed_at=to_datetime(item.get("dateModified")) or to_datetime(item.get("datePosted")),
    )


@registry.register("jsonld")
class JsonLdFeed(FeedFormat):
    name = "jsonld"

    def parse(self, data: bytes) -> Iterator[FeedRecord | RecordError]:
        for index, item in enumerate(_documents(data), start=1):
            position = _("item %(number)d") % {"number": index}
            try:
                yield _record(item, position)
            except RECORD_ERRORS as error:
                yield record_error(position, error)
