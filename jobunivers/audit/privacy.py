"""The personal-data registry: each app says what personal data it holds, why, how to export
it and how to erase it (or why it must be kept).

Apps register from their own `jobunivers/<app>/privacy.py`, which is imported
at start-up (autodiscovered by the audit app):

    from jobunivers.audit.privacy import register_personal_data

    register_personal_data(
        JobLogEntry, category=_("Job log"), purpose="availability",
        export=lambda user: [...], erase=None,
        keep_reason=_("Kept 5 years: documents availability decisions (LAB § ...)"),
    )

`tests` in the audit app fail if a model with a foreign key to the user or to
citizens.Citizen is covered by neither a registration nor an exemption.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.text import capfirst

Text = str | Promise  # plain or lazily translated text

PURPOSES = ("help", "availability")

Exporter = Callable[[Any], "list[dict] | dict"]
Eraser = Callable[[Any], object]  # the return value is ignored


@dataclass(frozen=True)
class Shown:
    """How one exported key is shown on "Mine data": its label and, for codes, their texts.

    The export keeps its stable machine keys and codes; only the page translates them.
    `choices` maps a code (or each code of a list) to its text; `text` turns the whole value
    into a text or a list of texts (for example reason codes into sentences).
    """

    label: Text
    choices: Mapping[str, Text] | None = None
    text: Callable[[Any], Any] | None = None


def shown_as(model: type[models.Model], field_name: str, *, label: Text | None = None,
             choices: Mapping[str, Text] | None = None) -> Shown:
    """A key shown like a model field: its verbose_name and its choices (or the given ones)."""
    model_field = model._meta.get_field(field_name)
    if not model_field.concrete:
        raise FieldDoesNotExist(field_name)  # a reverse relation has no label of its own
    field_choices = dict(model_field.flatchoices) if getattr(model_field, "choices", None) else None
    return Shown(label or model_field.verbose_name, choices if choices is not None else field_choices)


def value_text(value: Any, choices: Mapping[str, Text] | None = None) -> str:
    """One exported value as the citizen reads it (times formatted, codes through `choices`)."""
    from .presentation import value_text as text

    return text(value, choices)


def items_of(*models_: type[models.Model], labels: Mapping[str, Text] | None = None,
             nested: Mapping[str, Any] | None = None) -> Callable[[Any], list[str]]:
    """A `Shown.text` for a dict (or list of dicts): one "Label: value" line per key.

    Keys are labelled from `labels`, else from the fields of `models_` (with their choices);
    `nested` gives the `text` for keys that hold another dict. Unknown keys keep their name.
    """
    labels = dict(labels or {})
    nested = dict(nested or {})

    def lines(value: Any) -> list[str]:
        if isinstance(value, list):
            return [line for item in value for line in lines(item)]
        if not isinstance(value, dict):
            return [value_text(value)]
        result = []
        for key, inner in value.items():
            if key in nested:
                if inner not in (None, "", [], {}):  # a part that was missing says nothing
                    result.extend(nested[key](inner))
                continue
            shown = Shown(labels[key]) if key in labels else None
            for model in models_:
                if shown is not None:
                    break
                try:
                    shown = shown_as(model, key)
                except FieldDoesNotExist:
                    continue
            label = capfirst(str(shown.label)) if shown is not None else key
            choices = shown.choices if shown is not None else None
            result.append(f"{label}: {value_text(inner, choices)}")
        return result

    return lines


@dataclass(frozen=True)
class PersonalData:
    model_label: str  # "app_label.ModelName"
    category: Text  # plain label shown to the citizen (lazy translation)
    purpose: str  # "help" or "availability"
    export: Exporter
    erase: Eraser | None
    keep_reason: Text  # what must be kept by law, and why (shown to the citizen)
    # export key -> label (text) or Shown; keys named like a field of the model need nothing here
    fields: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def app_label(self) -> str:
        return self.model_label.split(".")[0]

    def shown(self, key: str) -> Shown | None:
        """How `key` is shown: as registered, else like the model's field of that name, else None."""
        given = self.fields.get(key)
        if isinstance(given, Shown):
            return given
        if given is not None:
            return Shown(given)
        try:
            model = apps.get_model(self.model_label)
            return shown_as(model, key)
        except (LookupError, ValueError, FieldDoesNotExist):
            return None


_registrations: dict[str, PersonalData] = {}
_exemptions: dict[str, str] = {}


def _label(model: type[models.Model] | str) -> str:
    if isinstance(model, str):
        app_label, _, name = model.partition(".")
        return f"{app_label}.{name.lower()}"
    return model._meta.label_lower


def register_personal_data(model: type[models.Model] | str, *, category: Text, purpose: str, export: Exporter,
                           erase: Eraser | None, keep_reason: Text = "",
                           fields: Mapping[str, Any] | None = None) -> PersonalData:
    """Register a model that holds personal data. `model` may be a class or "app_label.Model".

    erase=None means the data is kept: then keep_reason must say which law requires it and why.
    An eraser may also keep part of the data; say so in keep_reason.
    `fields` says how each exported key is shown on "Mine data" (a label or a `Shown`); keys
    named like a field of the model are shown with that field's verbose_name and choices.
    """
    if purpose not in PURPOSES:
        raise ValueError(f"purpose must be one of {PURPOSES}, not {purpose!r}")
    if not callable(export):
        raise ValueError("export must be a callable taking the user")
    if erase is None and not str(keep_reason).strip():
        raise ValueError("data that is not erased needs a keep_reason (which law, and why)")
    label = _label(model)
    existing = _registrations.get(label)
    registration = PersonalData(label, category, purpose, export, erase, keep_reason, dict(fields or {}))
    if existing is not None and (existing.export is not export or existing.erase is not erase):
        raise ValueError(f"{label} is already registered for personal data")
    _registrations[label] = registration
    return registration


def exempt_from_personal_data(model: type[models.Model] | str, *, reason: Text) -> None:
    """Declare that a model with a link to a user or citizen holds no personal data of its own."""
    if not str(reason).strip():
        raise ValueError("an exemption needs a reason")
    _exemptions[_label(model)] = str(reason)


def registrations() -> list[PersonalData]:
    """All registrations, the highest app layer first (so erasers run before what they depend on)."""
    order = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    return sorted(_registrations.values(), key=lambda r: (-order.get(r.app_label, -1), r.model_label))


def registration_for(model: type[models.Model] | str) -> PersonalData | None:
    return _registrations.get(_label(model))


def exemptions() -> dict[str, str]:
    return dict(_exemptions)


def personal_data_models() -> list[type[models.Model]]:
    """Models of our apps with a direct foreign key or one-to-one to the user or to citizens.Citizen."""
    from django.conf import settings

    targets = {settings.AUTH_USER_MODEL.lower(), "citizens.citizen"}
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("jobunivers."):
            continue
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and (field.many_to_one or field.one_to_one or field.many_to_many):
                related = field.related_model
                if related is not None and related._meta.label_lower in targets:
                    found.append(model)
                    break
    if apps.is_installed("jobunivers.accounts"):
        found.append(apps.get_model(settings.AUTH_USER_MODEL))
    return sorted(set(found), key=lambda m: m._meta.label_lower)


def uncovered_models() -> list[str]:
    covered = set(_registrations) | set(_exemptions)
    return sorted(m._meta.label_lower for m in personal_data_models() if m._meta.label_lower not in covered)


# What staff looked at, for the citizen's access log ------------------------------------------

_access_subjects: dict[str, Text] = {}


def register_access_subject(what: str, description: Text) -> None:
    """Say in plain words what an access-log `what` showed, e.g. "citizen overview" -> "your case".

    The log keeps the stable `what` it was written with (the entries are hash-chained); the
    citizen's "Mine data" shows the description ("Jobrådgiver Aisha Johansen så din plan").
    """
    if not what.strip() or not str(description).strip():
        raise ValueError("an access subject needs a `what` and a description")
    _access_subjects[what] = description


def access_subject(what: str) -> Text | None:
    """The registered description of `what`, or of its kind for entries written as "kind (detail)"."""
    if what in _access_subjects:
        return _access_subjects[what]
    kind = what.split(" (", 1)[0]
    return _access_subjects.get(kind)


def access_subjects() -> dict[str, Text]:
    return dict(_access_subjects)
