"""Groups a municipality registers for the fairness figures (issue 21), which the monthly review
of its decided cases then breaks the error rates down by: an attribute the municipality has about
its job seekers (a district, a disability flag, ...; values come with the register data,
`RegisterData.groups`), or a group defined by attributes the platform already holds (postcode
range, age band, benefit type, education level). Never a feature of the model and never a
threshold: measured only (ADR 0054)."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jobunivers.core.errors import NotFound, ValidationFailed

from ..models import AgeBand, BenefitType, EducationLevel, FairnessGroup
from ..permissions import can_manage_fairness_groups

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
# The groups every review already has, and the register columns: not available as keys.
RESERVED_KEYS = frozenset({"gender", "origin", "age_band", "citizen_id", "education_level", "benefit_type",
                           "registered_on", "outcome", "outcome_on", "previous_isco", "weeks_since_last_job",
                           "unemployment_weeks_last_3_years", "unemployment_spells_last_3_years"})
MAX_GROUPS = 10
NAME_MAX_LENGTH = 80


POSTCODE_PATTERN = re.compile(r"^[0-9]{4}$")


def _choices(values, allowed, message: str, field: str, errors: dict[str, list[str]]) -> list[str]:
    """The chosen values in the order of the choices; an unknown value is an error."""
    values = [str(v).strip() for v in (values or []) if str(v).strip()]
    unknown = [v for v in values if v not in allowed]
    if unknown:
        errors[field] = [message % {"value": ", ".join(unknown)}]
    return [v for v in allowed if v in values]


def _definition(*, postcode_from, postcode_to, age_bands, benefit_types, education_levels,
                errors: dict[str, list[str]]) -> dict:
    """Check a group's definition by the platform's own attributes (a bounded set: postcode range,
    age band, benefit type, education level; never gender, origin or another protected attribute)."""
    first, last = str(postcode_from or "").strip(), str(postcode_to or "").strip()
    result: dict = {"postcode_from": None, "postcode_to": None}
    if first or last:
        if not first or not last:
            errors["postcode_from"] = [_("Give both the first and the last postcode of the range.")]
        elif not POSTCODE_PATTERN.match(first) or not POSTCODE_PATTERN.match(last):
            errors["postcode_from"] = [_("A postcode is four digits, e.g. 8210.")]
        elif int(first) > int(last):
            errors["postcode_from"] = [_("The first postcode must not come after the last.")]
        else:
            result.update(postcode_from=int(first), postcode_to=int(last))
    result["age_bands"] = _choices(age_bands, AgeBand.values, _("Unknown age band: %(value)s."), "age_bands",
                                   errors)
    result["benefit_types"] = _choices(benefit_types, BenefitType.values, _("Unknown benefit type: %(value)s."),
                                       "benefit_types", errors)
    result["education_levels"] = _choices(education_levels, [v for v in EducationLevel.values if v],
                                          _("Unknown education level: %(value)s."), "education_levels", errors)
    return result


def fairness_group_register(*, actor, municipality_id: int, key: str, name_da: str, name_en: str = "",
                            description: str = "", postcode_from: str | int | None = None,
                            postcode_to: str | int | None = None, age_bands=(), benefit_types=(),
                            education_levels=()) -> FairnessGroup:
    """Register a group for the municipality's fairness figures (its administrator only): a column
    of the register data, or, when any criterion is given, the people who meet all of them."""
    if not can_manage_fairness_groups(actor, municipality_id):
        raise NotFound
    key, name_da, name_en = (key or "").strip().lower(), (name_da or "").strip(), (name_en or "").strip()
    errors: dict[str, list[str]] = {}
    definition = _definition(postcode_from=postcode_from, postcode_to=postcode_to, age_bands=age_bands,
                             benefit_types=benefit_types, education_levels=education_levels, errors=errors)
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
                                                    created_by=actor, **definition)
    except IntegrityError:  # registered at the same moment by someone else
        raise ValidationFailed({"key": [_("The municipality already has a group %(key)s.") % {"key": key}]}) from None


def fairness_group_remove(*, actor, group_id: int) -> None:
    """Remove a registered group (the values in the register data stay until the next import)."""
    group = FairnessGroup.all_tenants.filter(pk=group_id).first()
    if group is None or not can_manage_fairness_groups(actor, group.municipality_id):
        raise NotFound
    group.delete()
