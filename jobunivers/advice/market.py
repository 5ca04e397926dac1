"""The market around the citizen: open jobs in their occupations within their radius now and per month
over the last 12 months, job seekers on the platform seeking the same nearby (a tension ratio), the
employers posting most, and neighbouring occupations with more openings.

Small numbers are suppressed: a count from 1 to 4 is shown as "fewer than 5" (and drawn as no bar),
and a ratio is only given when both of its numbers are at least 5. Only counts leave this module,
never who.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from .facts import CitizenFacts, distances_km, market_index_for

SMALL = 5
MONTHS = 12
TOP = 5


def suppressed(count: int) -> bool:
    return 0 < count < SMALL


@dataclass(frozen=True)
class Figure:
    count: int

    @property
    def hidden(self) -> bool:
        return suppressed(self.count)

    @property
    def value(self) -> int:
        """What a chart may draw: 0 for a suppressed count."""
        return 0 if self.hidden else self.count


@dataclass(frozen=True)
class OccupationMarket:
    occupation_id: int
    label: str
    open_now: Figure
    seekers: Figure
    ratio: float | None  # seekers per open job, when both are at least SMALL


@dataclass(frozen=True)
class Market:
    radius_km: int
    occupations: tuple[OccupationMarket, ...]
    months: tuple[tuple[datetime.date, Figure], ...]  # first day of the month, postings published
    employers: tuple[tuple[str, Figure], ...]
    neighbours: tuple[tuple[int, str, Figure], ...]
    open_total: Figure


def _month_starts(today: datetime.date) -> list[datetime.date]:
    starts = []
    year, month = today.year, today.month
    for _i in range(MONTHS):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(starts))


def market_for(*, facts: CitizenFacts, latitude: float | None, longitude: float | None,
               labels: dict[int, str], neighbours: dict[int, tuple[int, ...]],
               today: datetime.date | None = None) -> Market | None:
    """The market around one citizen, or None when their occupations or home postcode are missing."""
    from jobunivers.jobs.selectors import employer_names_of, postings_published_since

    if not facts.occupation_ids or latitude is None or longitude is None:
        return None
    today = today or timezone.localdate()
    radius = facts.radius_km
    own = list(facts.occupation_ids)
    index = market_index_for(own)
    counts = index.postings_by_occupation(latitude, longitude, radius)
    occupations = []
    for occupation_id in own:
        open_now = counts.get(occupation_id, 0)
        seekers = max(0, index.seekers(latitude, longitude, radius, [occupation_id]) - 1)
        ratio = round(seekers / open_now, 1) if open_now >= SMALL and seekers >= SMALL else None
        occupations.append(OccupationMarket(occupation_id=occupation_id, label=labels.get(occupation_id, ""),
                                            open_now=Figure(open_now), seekers=Figure(seekers), ratio=ratio))
    starts = _month_starts(today)
    history = postings_published_since(occupation_ids=own, since=timezone.make_aware(
        datetime.datetime.combine(starts[0], datetime.time.min)))
    per_month: Counter = Counter()
    if history:
        latitudes = np.array([row[1] for row in history], dtype=np.float64)
        longitudes = np.array([row[2] for row in history], dtype=np.float64)
        near = distances_km(latitudes, longitudes, latitude, longitude) <= radius
        for row, inside in zip(history, near.tolist(), strict=True):
            if inside:
                published = timezone.localtime(row[0]).date()
                per_month[datetime.date(published.year, published.month, 1)] += 1
    posting_ids = index.posting_ids_near(latitude, longitude, radius, own)
    employers = Counter(employer_names_of(posting_ids=posting_ids.tolist()).values())
    own_total = sum(counts.get(o, 0) for o in own)
    candidates = {n for o in own for n in neighbours.get(o, ()) if n not in own}
    better = sorted(((n, counts.get(n, 0)) for n in candidates if counts.get(n, 0) > own_total),
                    key=lambda pair: (-pair[1], pair[0]))[:TOP]
    return Market(
        radius_km=radius, occupations=tuple(occupations),
        months=tuple((start, Figure(per_month.get(start, 0))) for start in starts),
        employers=tuple((name, Figure(n)) for name, n in sorted(employers.items(), key=lambda p: (-p[1], p[0]))[:TOP]),
        neighbours=tuple((n, labels.get(n, ""), Figure(count)) for n, count in better),
        open_total=Figure(own_total))
