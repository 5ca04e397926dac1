"""The project's CSV template for job postings (documented in docs/jobs.md, template in template.csv).

UTF-8 (a BOM is fine), comma or semicolon separated (Danish spreadsheets save with
semicolons), one posting per line, a header line with the column names below.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext as _

from jobunivers.core.errors import ValidationFailed

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
from ...loading import MAX_BYTES

# A description may hold up to the validation's cap (and is refused there when longer), so the csv
# module's own field limit (128 KiB) must not fail the whole file first.
csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))

REQUIRED = ["external_id", "title", "employer_name", "published"]
COLUMNS = REQUIRED + [
    "description", "employer_cvr", "occupation", "must_skills", "nice_skills", "address", "postcode", "city",
    "latitude", "longitude", "hours", "hours_per_week", "employment_type", "salary", "positions",
    "application_deadline", "apply_url", "apply_email", "apply_contact", "changed", "status",
]
STATUSES = {"": "active", "active": "active", "aktiv": "active", "withdrawn": "withdrawn", "trukket tilbage": "withdrawn",
            "expired": "expired", "udløbet": "expired"}


def _skills(value: str, importance: str) -> list[FeedSkill]:
    skills = []
    for part in (value or "").split("|"):
        part = part.strip()
        if not part:
            continue
        reference, _sep, weight = part.partition(";")
        reference = reference.strip()
        skills.append(FeedSkill(uri=reference if reference.startswith("http") else "",
                                label="" if reference.startswith("http") else reference,
                                importance=importance, weight=to_float(weight) or 1.0))
    return skills


def _record(row: dict, position: str) -> FeedRecord:
    values = {k: (v or "").strip() for k, v in row.items() if k}
    for column in REQUIRED:
        if not values.get(column):
            raise RecordInvalid(_("the column %(column)s is empty") % {"column": column})
    hours = values.get("hours", "")
    if hours and not normalise_hours(hours):
        raise RecordInvalid(_("hours must be full_time or part_time, not '%(value)s'") % {"value": hours})
    employment = values.get("employment_type", "")
    if employment and not normalise_employment_type(employment):
        raise RecordInvalid(_("unknown employment type '%(value)s'") % {"value": employment})
    status = values.get("status", "").lower()
    if status not in STATUSES:
        raise RecordInvalid(_("unknown status '%(value)s'") % {"value": status})
    try:
        positions = to_int(values.get("positions"), default=1)
    except RecordInvalid:
        positions = 0
    if positions is None or positions < 1:
        raise RecordInvalid(_("positions must be a whole number of at least 1"))
    occupation = values.get("occupation", "")
    postcode = values.get("postcode", "")
    if postcode and not (postcode.isdigit() and len(postcode) == 4):
        raise RecordInvalid(_("the postcode must have 4 digits"))
    return FeedRecord(
        position=position, external_id=values["external_id"], title=values["title"][:255],
        employer_name=values["employer_name"][:255], description=values.get("description", ""),
        employer_cvr=values.get("employer_cvr", ""),
        occupation_uri=occupation if occupation.startswith("http") else "",
        isco_code=occupation if occupation.isdigit() and len(occupation) == 4 else "",
        occupation_label=occupation if occupation and not occupation.startswith("http") and not occupation.isdigit() else "",
        skills=_skills(values.get("must_skills", ""), "must") + _skills(values.get("nice_skills", ""), "nice"),
        address=values.get("address", "")[:255], postcode=postcode, city=values.get("city", "")[:100], country="DK",
        latitude=to_float(values.get("latitude")), longitude=to_float(values.get("longitude")),
        hours=normalise_hours(hours), hours_per_week=to_decimal(values.get("hours_per_week")),
        employment_type=normalise_employment_type(employment), salary_text=values.get("salary", "")[:255],
        positions=positions, application_deadline=to_date(values.get("application_deadline")),
        apply_url=values.get("apply_url", ""), apply_email=values.get("apply_email", ""),
        apply_contact=values.get("apply_contact", "")[:255], published_at=to_datetime(values["published"]),
        changed_at=to_datetime(values.get("changed")) or to_datetime(values["published"]), status=STATUSES[status],
    )


@registry.register("csv")
class CsvFeed(FeedFormat):
    name = "csv"

    def parse(self, data: bytes) -> Iterator[FeedRecord | RecordError]:
        text = decode_text(data)
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
        try:
            fieldnames = reader.fieldnames or []
        except csv.Error as error:
            raise ValidationFailed(_("The file could not be read: %(error)s") % {"error": error}) from error
        header = [(c or "").strip() for c in fieldnames]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise ValidationFailed(_("The CSV file lacks the columns: %(columns)s") % {"columns": ", ".join(missing)})
        reader.fieldnames = header
        try:
            rows = list(reader)
        except csv.Error as error:
            raise ValidationFailed(_("The file could not be read: %(error)s") % {"error": error}) from error
        for index, row in enumerate(rows, start=2):  # the row number a spreadsheet shows
            position = _("line %(number)d") % {"number": index}
            if None in row:
                yield RecordError(position=position, reason=_("more fields than columns"))
                continue
            try:
                yield _record(row, position)
            except RECORD_ERRORS as error:
                yield record_error(position, error)
