"""The hiring-potential score: pure functions over an employer's own posting history on the platform.

An employer's chance to hire in an occupation is read from what it did here, criterion by criterion,
each with its points out of 100 (so a citizen can be told exactly why an employer is on the list):

- volume (50): its postings in the occupation and place over 24 months, each weighted by age (a posting
  counts half after HALF_LIFE_DAYS), full points at VOLUME_REFERENCE weighted postings (logarithmic);
- recency (20): days since its latest such posting, full points today, none after a year;
- trend (15): the last 12 months against the 12 before (more lately: more points; as many: half);
- size (15): all its postings in 24 months, any occupation, anywhere (a big employer has turnover),
  full points at SIZE_REFERENCE.

Nothing about the citizen enters the score except the occupation and place they chose (never gender or
origin, ADR 0052); the backtest (backtest.py) measures it against "most postings last year".
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

HALF_LIFE_DAYS = 180.0
VOLUME_REFERENCE = 8.0
SIZE_REFERENCE = 50.0
HISTORY_DAYS = 730
YEAR_DAYS = 365
FEW_POSTINGS = 3  # fewer than this in 24 months: said plainly, never hidden behind a score

MAX_POINTS = {"volume": 50.0, "recency": 20.0, "trend": 15.0, "size": 15.0}


@dataclass(frozen=True)
class History:
    """One employer's postings in the occupation and place: their ages in days at the time of scoring
    (0..HISTORY_DAYS), and its postings in any occupation, anywhere, over the same 24 months."""

    organisation_id: int
    ages_days: tuple[float, ...]
    total_24_months: int

    @property
    def last_12_months(self) -> int:
        return sum(1 for age in self.ages_days if age < YEAR_DAYS)

    @property
    def previous_12_months(self) -> int:
        return sum(1 for age in self.ages_days if YEAR_DAYS <= age < HISTORY_DAYS)

    @property
    def postings(self) -> int:
        return sum(1 for age in self.ages_days if age < HISTORY_DAYS)


@dataclass(frozen=True)
class Points:
    volume: float
    recency: float
    trend: float
    size: float

    @property
    def total(self) -> float:
        return self.volume + self.recency + self.trend + self.size

    @property
    def score(self) -> float:
        return round(self.total / 100.0, 4)


def weighted_volume(ages_days) -> float:
    return sum(0.5 ** (age / HALF_LIFE_DAYS) for age in ages_days if 0 <= age < HISTORY_DAYS)


def points(history: History) -> Points:
    ages = [age for age in history.ages_days if 0 <= age < HISTORY_DAYS]
    volume = MAX_POINTS["volume"] * min(1.0, math.log1p(weighted_volume(ages)) / math.log1p(VOLUME_REFERENCE))
    recency = MAX_POINTS["recency"] * max(0.0, 1.0 - min(ages) / YEAR_DAYS) if ages else 0.0
    recent, before = history.last_12_months, history.previous_12_months
    trend_share = (recent - before) / (recent + before) if recent + before else 0.0
    trend = MAX_POINTS["trend"] * (trend_share + 1.0) / 2.0 if ages else 0.0
    size = MAX_POINTS["size"] * min(1.0, math.log1p(max(0, history.total_24_months)) / math.log1p(SIZE_REFERENCE))
    return Points(volume=round(volume, 2), recency=round(recency, 2), trend=round(trend, 2), size=round(size, 2))


def rank(histories, *, limit: int | None = None) -> list[tuple[History, Points]]:
    """Best first; ties by more postings last year, then by organisation id (stable, reproducible)."""
    scored = [(history, points(history)) for history in histories if history.postings]

    def order(pair):
        return (-pair[1].total, -pair[0].last_12_months, pair[0].organisation_id)

    if limit is not None:
        return heapq.nsmallest(limit, scored, key=order)
    return sorted(scored, key=order)


def baseline_rank(histories, *, limit: int | None = None) -> list[History]:
    """The baseline the score must beat: most postings in the occupation last year (ties by id)."""
    ranked = sorted((h for h in histories if h.last_12_months),
                    key=lambda h: (-h.last_12_months, h.organisation_id))
    return ranked[:limit] if limit is not None else ranked


# Tolerance for the array pre-selection below: each criterion of `points` is rounded to 2 decimals, so a
# total can move by at most 4 x 0.005 against the unrounded sum; the band is wider to stay clear of that.
_PRESELECT_BAND = 0.1


def approximate_totals(*, weighted_volume, latest_age, last_12, previous_12, postings, total_24_months):
    """The score's total (0..100) for many employers at once, as numpy arrays, unrounded: the same
    formulas as `points`, used only to pre-select the few employers `rank` then scores exactly."""
    import numpy as np

    has = postings > 0
    volume = MAX_POINTS["volume"] * np.minimum(1.0, np.log1p(weighted_volume) / math.log1p(VOLUME_REFERENCE))
    recency = np.where(has, MAX_POINTS["recency"] * np.maximum(0.0, 1.0 - np.where(has, latest_age, 0) / YEAR_DAYS), 0.0)
    both = last_12 + previous_12
    share = np.divide(last_12 - previous_12, both, out=np.zeros(len(both), dtype=np.float64), where=both > 0)
    trend = np.where(has, MAX_POINTS["trend"] * (share + 1.0) / 2.0, 0.0)
    size = MAX_POINTS["size"] * np.minimum(1.0, np.log1p(np.maximum(0, total_24_months)) / math.log1p(SIZE_REFERENCE))
    return volume + recency + trend + size


def preselect(totals, *, postings, limit: int):
    """Positions that can be among the best `limit` by `rank`: every employer with postings whose
    approximate total is within the rounding band of the limit-th best (ties included)."""
    import numpy as np

    candidates = np.flatnonzero(postings > 0)
    if len(candidates) <= limit:
        return candidates
    threshold = np.partition(totals[candidates], len(candidates) - limit)[len(candidates) - limit]
    return candidates[totals[candidates] >= threshold - _PRESELECT_BAND]
