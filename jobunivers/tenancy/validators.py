"""Validators for what municipal administrators type in: numbers within sensible bounds, https logos."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

UNIT_MESSAGES = {
    "days": _("Enter a number of days from %(low)s to %(high)s."),
    "minutes": _("Enter a number of minutes from %(low)s to %(high)s."),
    "weeks": _("Enter a number of weeks from %(low)s to %(high)s."),
    "count": _("Enter a whole number from %(low)s to %(high)s."),
    "percent": _("Enter a percentage from %(low)s to %(high)s."),
    "score": _("Enter a score from %(low)s to %(high)s."),
}


@deconstructible
class Between:
    """low <= value <= high, with one clear message naming the unit and both bounds."""

    def __init__(self, low, high, unit: str):
        if unit not in UNIT_MESSAGES:
            raise ValueError(f"unknown unit {unit!r}")
        self.low, self.high, self.unit = low, high, unit

    def __call__(self, value) -> None:
        if value is None:
            return
        if not self.low <= value <= self.high:
            raise ValidationError(UNIT_MESSAGES[self.unit], code="out_of_range",
                                  params={"low": self.low, "high": self.high})

    def __eq__(self, other) -> bool:
        return isinstance(other, Between) and (self.low, self.high, self.unit) == (other.low, other.high, other.unit)

    def __hash__(self) -> int:
        return hash((self.low, self.high, self.unit))


https_url = URLValidator(schemes=["https"], message=_("Enter a full address that starts with https://."))
