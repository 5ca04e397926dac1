"""Writes for reference data: postcodes (more importers come with the taxonomy issue)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from jobunivers.core.errors import ValidationFailed

from .models import Postcode


@dataclass
class PostcodeImportReport:
    created: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)


def _rows_from_csv(text: str) -> list[tuple[str, dict]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = {"postcode", "name", "lat", "lon"} - set(reader.fieldnames or [])
    if missing:
        raise ValidationFailed(_("The CSV file lacks the columns: %(columns)s") % {"columns": ", ".join(sorted(missing))})
    return [(f"line {i + 2}", {"code": r["postcode"], "name": r["name"], "lat": r["lat"], "lon": r["lon"],
                               "municipality_code": r.get("municipality_code", "")}) for i, r in enumerate(reader)]


def _rows_from_dawa(text: str) -> list[tuple[str, dict]]:
    data = json.loads(text)
    if not isinstance(data, list):
        raise ValidationFailed(_("DAWA JSON must be a list of postcodes."))
    rows = []
    for i, item in enumerate(data):
        item = item if isinstance(item, dict) else {}
        centre = item.get("visueltcenter") or [None, None]
        kommuner = item.get("kommuner") or [{}]
        rows.append((f"item {i + 1}", {"code": item.get("nr", ""), "name": item.get("navn", ""),
                                       "lon": centre[0], "lat": centre[1] if len(centre) > 1 else None,
                                       "municipality_code": (kommuner[0] or {}).get("kode", "")}))
    return rows


def postcodes_import(*, text: str, file_format: str = "csv") -> PostcodeImportReport:
    """Import postcodes from the project CSV or DAWA's /postnumre JSON. A broken file changes nothing."""
    try:
        rows = _rows_from_dawa(text) if file_format == "dawa" else _rows_from_csv(text)
    except (json.JSONDecodeError, csv.Error) as error:
        raise ValidationFailed(_("The file could not be read: %(error)s") % {"error": error}) from error
    report = PostcodeImportReport()
    existing = {p.code: p for p in Postcode.objects.all()}
    with transaction.atomic():
        for position, row in rows:
            code = str(row["code"] or "").strip()
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except (TypeError, ValueError):
                report.skipped.append(f"{position}: " + _("coordinates are not numbers"))
                continue
            if not (code.isdigit() and len(code) == 4) or not row["name"]:
                report.skipped.append(f"{position}: " + _("needs a 4-digit postcode and a name"))
                continue
            values = {"name": row["name"].strip(), "latitude": lat, "longitude": lon,
                      "municipality_code": str(row["municipality_code"] or "").zfill(4)}
            if code in existing:
                Postcode.objects.filter(pk=existing[code].pk).update(**values)
                report.updated += 1
            else:
                Postcode.objects.create(code=code, **values)
                report.created += 1
    return report
