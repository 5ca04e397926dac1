"""Days the job centre takes no bookings: the Danish public holidays (the `holidays` package, its "public"
category: nytårsdag, skærtorsdag, langfredag, påskedag, 2. påskedag, Kristi himmelfartsdag, pinsedag,
2. pinsedag, juledag, 2. juledag) always, and those of the customary closing days a municipality chooses
(1 May, Constitution Day, Christmas Eve, New Year's Eve; ADR 0089). Working days for the notice limit skip
them as they skip weekends."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import lru_cache

import holidays
from django.utils.translation import gettext_lazy as _

# Keys are "MM-DD": these days fall on the same date every year.
OPTIONAL_DAYS = (
    ("05-01", _("1 May")),
    ("06-05", _("Constitution Day (5 June)")),
    ("12-24", _("Christmas Eve")),
    ("12-31", _("New Year's Eve")),
)
OPTIONAL_KEYS = frozenset(key for key, _label in OPTIONAL_DAYS)


def default_closed_optional_days() -> list[str]:
    """Closed unless the municipality says otherwise: Constitution Day, Christmas Eve and New Year's Eve."""
    return ["06-05", "12-24", "12-31"]


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("DK", years=year, categories=("public",)))


def is_closed(day: datetime.date, closed_optional: Iterable[str] = ()) -> bool:
    return day in public_holidays(day.year) or f"{day:%m-%d}" in set(closed_optional)
