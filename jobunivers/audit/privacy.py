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

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.functional import Promise

Text = str | Promise  # plain or lazily translated text

PURPOSES = ("help", "availability")

Exporter = Callable[[Any], "list[dict] | dict"]
Eraser = Callable[[Any], object]  # the return value is ignored


@dataclass(frozen=True)
class PersonalData:
    model_label: str  # "app_label.ModelName"
    category: Text  # plain label shown to the citizen (lazy translation)
    purpose: str  # "help" or "availability"
    export: Exporter
    erase: Eraser | None
    keep_reason: Text  # what must be kept by law, and why (shown to the citizen)

    @property
    def app_label(self) -> str:
        return self.model_label.split(".")[0]


_registrations: dict[str, PersonalData] = {}
_exemptions: dict[str, str] = {}


def _label(model: type[models.Model] | str) -> str:
    if isinstance(model, str):
        app_label, _, name = model.partition(".")
        return f"{app_label}.{name.lower()}"
    return model._meta.label_lower


def register_personal_data(model: type[models.Model] | str, *, category: Text, purpose: str, export: Exporter,
                           erase: Eraser | None, keep_reason: Text = "") -> PersonalData:
    """Register a model that holds personal data. `model` may be a class or "app_label.Model".

    erase=None means the data is kept: then keep_reason must say which law requires it and why.
    An eraser may also keep part of the data; say so in keep_reason.
    """
    if purpose not in PURPOSES:
        raise ValueError(f"purpose must be one of {PURPOSES}, not {purpose!r}")
    if not callable(export):
        raise ValueError("export must be a callable taking the user")
    if erase is None and not str(keep_reason).strip():
        raise ValueError("data that is not erased needs a keep_reason (which law, and why)")
    label = _label(model)
    existing = _registrations.get(label)
    registration = PersonalData(label, category, purpose, export, erase, keep_reason)
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
