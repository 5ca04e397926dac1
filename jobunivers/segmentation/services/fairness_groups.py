"""Groups a municipality registers for the fairness figures (issue 21): an attribute the
municipality has about its job seekers (a district, a disability flag, ...) that the monthly review
of its decided cases then breaks the error rates down by. Never a feature of the model and never a
threshold: measured only (ADR 0054). Values come with the register data (`RegisterData.groups`)."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jobunivers.core.errors import NotFound, ValidationFailed

from ..models import FairnessGroup
from ..permissions import can_manage_fairness_groups

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
# The groups every review already has, and the register columns: not available as keys.
RESERVED_KEYS = frozenset({"gender", "origin", "age_band", "citizen_id", "education_level", "benefit_type",
                           "registered_on", "outcome", "outcome_on", "previous_isco", "weeks_since_last_job",
                           "unemployment_weeks_last_3_years", "unemployment_spells_last_3_years"})
MAX_GROUPS = 10
NAME_MAX_LENGTH = 80


def fairness_group_register(*, actor, municipality_id: int, key: str, name_da: str, name_en: str = "",
                            description: str = "") -> FairnessGroup:
    """Register a group column for the municipality's fairness figures (its administrator only)."""
    if not can_manage_fairness_groups(actor, municipality_id):
        raise NotFound
    key, name_da, name_en = (key or "").strip().lower(), (name_da or "").strip(), (name_en or "").strip()
    errors: dict[str, list[str]] = {}
    if not KEY_PATTERN.match(key):
        errors["key"] = [_("The column name must be 2-40 small letters, digits or _ and start with a letter.")]
    elif key in RESERVED_KEYS:
        errors["key"] = [_("%(key)s is already used by the register data.") % {"key": key}]
    if not name_da:
        errors["name_da"] = [_("Give the group a Danish name.")]
    elif len(name_da) > NAME_MAX_LENGTH or len(name_en) > NAME_MAX_LENGTH:
        errors["name_da"] = [_("A name may be at most %(n)s characters.") % {"n": NAME_MAX_LENGTH}]
    if not errors and FairnessGroup.all_tenants.filter(municipality_id=municipality_id).count() >= MAX_GROUPS:
        errors["__all__"] = [_("A municipality may register at most %(n)s groups.") % {"n": MAX_GROUPS}]
    if not errors and FairnessGroup.all_tenants.filter(municipality_id=municipality_id, key=key).exists():
        errors["key"] = [_("The municipality already has a group %(key)s.") % {"key": key}]
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            return FairnessGroup.all_tenants.create(municipality_id=municipality_id, key=key, name_da=name_da,
                                                    name_en=name_en, description=description.strip()[:500],
                                                    created_by=actor)
    except IntegrityError:  # registered at the same moment by someone else
        raise ValidationFailed({"key": [_("The municipality already has a group %(key)s.") % {"key": key}]}) from None


def fairness_group_remove(*, actor, group_id: int) -> None:
    """Remove a registered group (the values in the register data stay until the next import)."""
    group = FairnessGroup.all_tenants.filter(pk=group_id).first()
    if group is None or not can_manage_fairness_groups(actor, group.municipality_id):
        raise NotFound
    group.delete()
