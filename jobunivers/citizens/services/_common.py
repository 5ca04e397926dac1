"""Helpers shared by the citizen services: validation, ownership checks, date windows."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.core.errors import ValidationFailed

from .. import permissions
from ..models import Citizen, CreatedByKind

# How far back and ahead dates may sensibly lie.
PLAN_DATE_PAST_DAYS = 366
PLAN_DATE_FUTURE_DAYS = 2 * 366
JOB_LOG_PAST_DAYS = 366
EARLIEST_WORK_YEAR = 1940


def _today() -> datetime.date:
    return timezone.localdate()


def _refuse(errors: dict[str, list[str]]) -> None:
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationFailed(errors)


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _require_owner(actor, citizen: Citizen) -> None:
    if not permissions.is_owner(actor, citizen):
        raise ValidationFailed(_("Only the citizen can do this."))


def _require_owner_or_staff(actor, citizen: Citizen) -> None:
    if not permissions.can_view_citizen_space(actor, citizen):
        raise ValidationFailed(_("You may not change this citizen's data."))


def _kind_for(actor, citizen: Citizen, created_by_kind: str) -> str:
    """Check that the actor matches the kind of author they claim to be."""
    if created_by_kind == CreatedByKind.CITIZEN:
        _require_owner(actor, citizen)
    elif created_by_kind == CreatedByKind.STAFF:
        if not permissions.is_staff_of(actor, citizen.municipality_id):
            raise ValidationFailed(_("Only staff of the citizen's job centre can do this."))
    elif created_by_kind != CreatedByKind.SYSTEM:
        raise ValidationFailed(_("Unknown author kind."))
    return created_by_kind


def _choices_list(errors, field: str, values, allowed) -> list[str]:
    values = [str(v) for v in (values or [])]
    allowed_values = {str(v) for v in allowed}
    unknown = [v for v in values if v not in allowed_values]
    if unknown:
        _add(errors, field, _("Unknown choice: %(values)s") % {"values": ", ".join(unknown)})
    return list(dict.fromkeys(values))


def _int_in_range(errors, field: str, value, low: int, high: int, *, required: bool = True) -> int | None:
    if value in (None, ""):
        if required:
            _add(errors, field, _("This field is required."))
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        _add(errors, field, _("Enter a whole number."))
        return None
    if not low <= number <= high:
        _add(errors, field, _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high})
        return None
    return number

def _full_clean(instance) -> None:
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(exclude=["municipality"])
    except ValidationError as error:
        raise ValidationFailed({k: [str(m) for m in v] for k, v in error.message_dict.items()}) from error

