"""Writes for municipalities, themes, settings and memberships."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from jobunivers.core.errors import ValidationFailed

from .models import Membership, Municipality, MunicipalitySettings, Theme
from .roles import NATIONAL_ROLES
from .selectors import clear_slug_cache

_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def municipality_slug(name: str) -> str:
    return slugify(name.translate(_DANISH_LETTERS))


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)


def _parse_csv(text: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = {"code", "name"} - set(reader.fieldnames or [])
    if missing:
        raise ValidationFailed(_("The CSV file lacks the columns: %(columns)s") % {"columns": ", ".join(sorted(missing))})
    return [
        {"code": row["code"], "name": row["name"], "region": row.get("region", ""),
         "lat": row.get("lat"), "lon": row.get("lon"), "position": _("line %(number)s") % {"number": index + 2}}
        for index, row in enumerate(reader)
    ]


def _parse_dawa(text: str) -> list[dict[str, Any]]:
    data = json.loads(text)
    if not isinstance(data, list):
        raise ValidationFailed(_("DAWA JSON must be a list of municipalities."))
    rows = []
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            rows.append({"position": _("item %(number)s") % {"number": index + 1}, "error": "not an object"})
            continue
        centre = item.get("visueltcenter") or [None, None]
        region = item.get("region") or {}
        row: dict[str, Any] = {
            "code": str(item.get("kode", "")), "name": item.get("navn", ""),
            "region": region.get("navn", "") if isinstance(region, dict) else "",
            "lon": centre[0] if len(centre) > 0 else None, "lat": centre[1] if len(centre) > 1 else None,
            "position": _("item %(number)s") % {"number": index + 1},
        }
        rows.append(row)
    return rows


def municipalities_import(*, text: str, file_format: str) -> ImportReport:
    """Import or update municipalities from the project CSV or DAWA's /kommuner JSON.

    A broken file changes nothing; a bad row is skipped and reported with its position.
    """
    try:
        rows = _parse_dawa(text) if file_format == "dawa" else _parse_csv(text)
    except (json.JSONDecodeError, csv.Error, UnicodeDecodeError) as error:
        raise ValidationFailed(_("The file could not be read: %(error)s") % {"error": error}) from error
    report = ImportReport()
    with transaction.atomic():
        for row in rows:
            code = str(row.get("code") or "").strip().zfill(4)
            name = (row.get("name") or "").strip()
            if row.get("error") or not code.isdigit() or len(code) != 4 or not name:
                report.skipped.append(f"{row['position']}: " + _("needs a 4-digit code and a name"))
                continue
            try:
                lat = float(row["lat"]) if row.get("lat") not in (None, "") else None
                lon = float(row["lon"]) if row.get("lon") not in (None, "") else None
            except (TypeError, ValueError):
                report.skipped.append(f"{row['position']}: " + _("coordinates are not numbers"))
                continue
            if lat is not None and not (54.0 <= lat <= 58.0) or lon is not None and not (7.0 <= lon <= 16.0):
                report.skipped.append(f"{row['position']}: " + _("coordinates are outside Denmark"))
                continue
            municipality, created = Municipality.objects.update_or_create(
                code=code,
                defaults={"name": name, "region": row.get("region") or "", "latitude": lat, "longitude": lon},
            )
            if created or not municipality.slug:
                municipality.slug = _unique_slug(name, municipality.pk)
                municipality.save(update_fields=["slug"])
            Theme.objects.get_or_create(municipality=municipality, defaults={"display_name": f"Jobcenter {name}"})
            MunicipalitySettings.objects.get_or_create(municipality=municipality)
            report.created += int(created)
            report.updated += int(not created)
    clear_slug_cache()
    return report


def _unique_slug(name: str, pk: int) -> str:
    base = municipality_slug(name) or f"kommune-{pk}"
    slug = base
    if Municipality.objects.filter(slug=slug).exclude(pk=pk).exists():
        slug = f"{base}-{pk}"
    return slug


def municipality_activate(*, municipality: Municipality, is_demo: bool = False) -> Municipality:
    municipality.is_active = True
    municipality.is_demo = municipality.is_demo or is_demo
    municipality.save(update_fields=["is_active", "is_demo"])
    return municipality


def theme_update(*, actor, theme: Theme, data: dict) -> Theme:
    allowed = {"display_name", "logo_url", "primary_colour", "welcome_text_da", "welcome_text_en"}
    for key, value in data.items():
        if key in allowed:
            setattr(theme, key, value)
    theme.full_clean()
    theme.save()
    return theme


def settings_update(*, actor, settings: MunicipalitySettings, data: dict) -> MunicipalitySettings:
    for key, value in data.items():
        if key not in {"id", "municipality", "municipality_id", "updated_at"}:
            setattr(settings, key, value)
    settings.full_clean()
    settings.save()
    return settings


def membership_grant(*, user, role: str, municipality: Municipality | None, is_team_lead: bool = False,
                     organisation: str = "") -> Membership:
    if (role in NATIONAL_ROLES) != (municipality is None):
        raise ValidationFailed(_("This role must be given with a municipality, or without one for national roles."))
    membership, _created = Membership.objects.update_or_create(
        user=user, municipality=municipality, role=role,
        defaults={"is_team_lead": is_team_lead, "organisation": organisation, "is_active": True},
    )
    return membership


def membership_revoke(*, user, municipality_id: int, roles) -> int:
    """Withdraw the user's roles in a municipality (marked inactive: the access log keeps its meaning).

    Returns how many memberships were withdrawn."""
    return Membership.objects.filter(user=user, municipality_id=municipality_id, role__in=list(roles),
                                     is_active=True).update(is_active=False)
