"""Register data (DFDG) imported from CSV: all or nothing, errors by line."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from jobunivers.citizens.models import Citizen
from jobunivers.core.errors import ValidationFailed

from ..models import AgeBand, BenefitType, EducationLevel, FairnessGroup, Origin, RegisterData

# --- Register data ------------------------------------------------------------------------

REGISTER_COLUMNS = ["citizen_id", "age_band", "education_level", "unemployment_weeks_last_3_years",
                    "unemployment_spells_last_3_years", "benefit_type", "weeks_since_last_job", "previous_isco",
                    "origin", "registered_on", "outcome", "outcome_on"]


GROUP_VALUE_MAX_LENGTH = 60


@dataclass
class RegisterImportReport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def _parse_register_row(row: dict, line: int, citizen_ids: set[int]) -> tuple[dict | None, list[str]]:
    errors: list[str] = []

    def err(text: str) -> None:
        errors.append(_("Line %(line)s: %(error)s") % {"line": line, "error": text})

    def integer(name: str, *, optional: bool = False) -> int | None:
        value = (row.get(name) or "").strip()
        if value == "" and optional:
            return None
        try:
            number = int(value)
        except ValueError:
            err(_("%(column)s must be a whole number") % {"column": name})
            return None
        if number < 0:
            err(_("%(column)s cannot be negative") % {"column": name})
            return None
        return number

    def date(name: str, *, optional: bool = False) -> datetime.date | None:
        value = (row.get(name) or "").strip()
        if value == "" and optional:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            err(_("%(column)s must be a date like 2026-01-31") % {"column": name})
            return None

    citizen_id = integer("citizen_id")
    if citizen_id is not None and citizen_id not in citizen_ids:
        err(_("there is no citizen %(id)s in this municipality") % {"id": citizen_id})
    choices = {"age_band": AgeBand.values, "education_level": EducationLevel.values,
               "benefit_type": BenefitType.values, "origin": Origin.values,
               "outcome": RegisterData.Outcome.values}
    values = {name: (row.get(name) or "").strip() for name in choices}
    for name, allowed in choices.items():
        if values[name] not in allowed:
            err(_("%(column)s has the unknown value %(value)s") % {"column": name, "value": values[name]})
    isco = (row.get("previous_isco") or "").strip()
    if isco and not (isco.isdigit() and len(isco) <= 4):
        err(_("previous_isco must be an ISCO-08 code of up to 4 digits"))
    parsed = {
        "citizen_id": citizen_id, **values, "previous_isco": isco,
        "unemployment_weeks_last_3_years": integer("unemployment_weeks_last_3_years"),
        "unemployment_spells_last_3_years": integer("unemployment_spells_last_3_years"),
        "weeks_since_last_job": integer("weeks_since_last_job", optional=True),
        "registered_on": date("registered_on"), "outcome_on": date("outcome_on", optional=True),
    }
    if parsed["outcome"] and parsed["outcome_on"] is None and not errors:
        err(_("outcome_on is needed when there is an outcome"))
    return (None if errors else parsed), errors


def register_data_import(*, municipality_id: int, text: str) -> RegisterImportReport:
    """Import register-style data (one row per citizen) from CSV with REGISTER_COLUMNS.

    All or nothing: if any line is wrong, nothing is written and every error is reported with
    its line number. In production the DFDG adapter writes this file with our citizen ids.
    """
    report = RegisterImportReport()
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REGISTER_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationFailed(_("The file lacks the columns: %(columns)s") % {"columns": ", ".join(missing)})
    citizen_ids = set(Citizen.all_tenants.filter(municipality_id=municipality_id).values_list("id", flat=True))
    # Columns of the municipality's own fairness groups (optional): their values are kept apart.
    group_keys = [group.key for group in FairnessGroup.all_tenants.filter(municipality_id=municipality_id)
                  if not group.is_defined and group.key in (reader.fieldnames or [])]
    rows = []
    try:
        for index, row in enumerate(reader):
            parsed, errors = _parse_register_row(row, index + 2, citizen_ids)
            groups = {key: (row.get(key) or "").strip() for key in group_keys}
            for key, value in groups.items():
                if len(value) > GROUP_VALUE_MAX_LENGTH:
                    errors.append(_("Line %(line)s: %(column)s may be at most %(n)s characters")
                                  % {"line": index + 2, "column": key, "n": GROUP_VALUE_MAX_LENGTH})
            report.errors += errors
            if parsed and not errors:
                rows.append({**parsed, "groups": {key: value for key, value in groups.items() if value}})
    except csv.Error as error:
        raise ValidationFailed(_("The file could not be read: %(error)s") % {"error": error}) from error
    seen: set[int] = set()
    for row in rows:
        if row["citizen_id"] in seen:
            report.errors.append(_("Citizen %(id)s appears more than once") % {"id": row["citizen_id"]})
        seen.add(row["citizen_id"])
    if report.errors:
        raise ValidationFailed({"__all__": report.errors})
    with transaction.atomic():
        existing = set(RegisterData.all_tenants.filter(municipality_id=municipality_id, citizen_id__in=seen)
                       .values_list("citizen_id", flat=True))
        for row in rows:
            citizen_id = row.pop("citizen_id")
            RegisterData.all_tenants.update_or_create(
                citizen_id=citizen_id, municipality_id=municipality_id,
                defaults={**row, "source": RegisterData.Source.IMPORT})
            if citizen_id in existing:
                report.updated += 1
            else:
                report.created += 1
    return report
