"""Input checks of the marketplace that are not a model field's own (the services call them)."""

from __future__ import annotations

from django.utils.translation import gettext as _

CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def cvr_is_valid(cvr: str) -> bool:
    """A Danish CVR number: 8 digits, not starting with 0, weighted sum (2765432 1) divisible by 11.
    The same rule as jobs.validation for employers; kept here so the marketplace needs no private module of
    another app."""
    if len(cvr) != 8 or not cvr.isdigit() or cvr[0] == "0":
        return False
    return sum(int(digit) * weight for digit, weight in zip(cvr, CVR_WEIGHTS, strict=True)) % 11 == 0


def cvr_error(cvr: str) -> str | None:
    if not (len(cvr) == 8 and cvr.isdigit()):
        return _("A CVR number has 8 digits.")
    if not cvr_is_valid(cvr):
        return _("%(cvr)s is not a valid CVR number (the check digit does not match).") % {"cvr": cvr}
    return None


def nth_valid_cvr(number: int, *, start: int = 30000000) -> str:
    """The number-th valid CVR number above `start` (for demo vendors and tests)."""
    candidate, found = start, -1
    while True:
        candidate += 1
        if cvr_is_valid(str(candidate)):
            found += 1
            if found == number:
                return str(candidate)
