""""Mine data" in plain words: the export's machine keys, codes and ISO times as the citizen reads them.

The JSON export (`services.personal_data_export`) keeps stable machine keys and codes, so programs
can rely on them. This module only prepares the page: each key gets the label its app registered
(or its model field's verbose_name), codes become their texts, times are formatted in the viewer's
language, lists stay lists, and each staff look-up becomes one sentence:
"Jobrådgiver Aisha Johansen så din plan, 4. december 2026 kl. 10.12, formål: hjælp".
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.dateformat import time_format
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from jobunivers.tenancy.roles import Role

from .models import Action, Purpose
from .privacy import Shown, access_subject, registration_for

ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2})?$")

# What staff did, as the verb of the sentence ("Jobrådgiver Aisha Johansen så din plan").
ACTION_VERBS = {
    Action.READ: gettext_lazy("looked at"),
    Action.SEARCH: gettext_lazy("found you in"),
    Action.CHANGE: gettext_lazy("changed"),
    Action.EXPORT: gettext_lazy("exported"),
    Action.DELETE: gettext_lazy("deleted"),
}
PURPOSE_WORDS = {
    Purpose.HELP: gettext_lazy("help"),
    Purpose.AVAILABILITY: gettext_lazy("checking availability"),
    Purpose.RETENTION: gettext_lazy("deletion after the retention period"),
}
UNKNOWN_SUBJECT = gettext_lazy("your data")


@dataclass
class ShownField:
    label: str
    text: str = ""  # a single value
    items: list[str] = field(default_factory=list)  # a list of values (shown as a list)
    is_list: bool = False


def when_text(value: datetime.datetime | datetime.date) -> str:
    """"4. december 2026 kl. 10.12" (Danish) or "4 December 2026 at 10:12" (English), local time."""
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return _("%(date)s at %(time)s") % {
            "date": date_format(local.date(), "DATE_FORMAT"),
            # Danish writes the time with a full stop (10.12); the format is part of the translation.
            "time": time_format(local.time(), pgettext("time of day format", "H:i")),
        }
    return date_format(value, "DATE_FORMAT")


def _parse_iso(text: str) -> datetime.datetime | datetime.date | datetime.time | None:
    try:
        if ISO_TIME.match(text):
            return datetime.time.fromisoformat(text)
        if ISO_DATE.match(text):
            return datetime.date.fromisoformat(text)
        if ISO_DATETIME.match(text):
            return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return None


def value_text(value: Any, choices=None) -> str:
    """One value as text: codes through `choices`, times formatted, numbers localised, yes/no."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if choices is not None and isinstance(value, str | int) and value in choices:
        return str(choices[value])
    if isinstance(value, int | float):
        return number_format(value)
    if isinstance(value, datetime.time):
        return time_format(value, pgettext("time of day format", "H:i"))
    if isinstance(value, datetime.datetime | datetime.date):
        return when_text(value)
    if isinstance(value, str):
        parsed = _parse_iso(value)
        return value if parsed is None else value_text(parsed)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {value_text(inner)}" for key, inner in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(value_text(item, choices) for item in value)
    return str(value)


def _shown_field(key: str, value: Any, shown: Shown | None) -> ShownField:
    label = capfirst(str(shown.label)) if shown is not None else key
    choices = shown.choices if shown is not None else None
    if shown is not None and shown.text is not None:
        value = shown.text(value)
        choices = None
    if isinstance(value, list | tuple):
        return ShownField(label, items=[value_text(item, choices) for item in value], is_list=True)
    return ShownField(label, text=value_text(value, choices))


def present_record(record: dict, registration) -> list[ShownField]:
    return [_shown_field(key, value, registration.shown(key) if registration is not None else None)
            for key, value in record.items()]


def present_sections(export: dict) -> list[dict]:
    """The export's sections grouped by purpose (help first), each record as labelled fields."""
    groups: dict[str, dict] = {}
    for section in export["sections"]:
        registration = registration_for(section["source"])
        group = groups.setdefault(section["purpose"], {"purpose": section["purpose"],
                                                       "label": section["purpose_label"], "sections": []})
        group["sections"].append({
            "category": section["category"],
            "kept_by_law": section["kept_by_law"],
            "records": [present_record(record, registration) for record in section["records"]],
        })
    return [groups[p] for p in ("help", "availability") if p in groups]


def _staff_names(user_ids: set[int]) -> dict[int, str]:
    users = get_user_model().objects.filter(pk__in=user_ids).only("first_name", "last_name", "username")
    return {u.pk: (u.get_full_name() or "").strip() for u in users}


def lookup_sentences(entries) -> list[dict]:
    """Each access-log entry as one sentence: role, name, what was done to what, when, and why.

    Staff names are shown to the citizen: the citizen has the right to know who used their data.
    An erased staff account (no name) reads as the role alone.
    """
    entries = list(entries)
    names = _staff_names({e.actor_user_id for e in entries if e.actor_user_id})
    role_labels = dict(Role.choices)
    result = []
    for entry in entries:
        if entry.actor_kind == "api":
            who = _("A connected system")
        else:
            role = str(role_labels.get(entry.role, _("Staff member")))
            name = names.get(entry.actor_user_id, "")
            who = f"{role} {name}".strip()
        subject = access_subject(entry.what) or UNKNOWN_SUBJECT
        verb = ACTION_VERBS.get(entry.action, ACTION_VERBS[Action.READ])
        purpose = PURPOSE_WORDS.get(entry.purpose, entry.purpose)
        sentence = _("%(who)s %(verb)s %(what)s, %(when)s, purpose: %(purpose)s") % {
            "who": who, "verb": verb, "what": subject, "when": when_text(entry.created_at), "purpose": purpose,
        }
        result.append({"sentence": sentence, "when": entry.created_at, "purpose": entry.purpose})
    return result
