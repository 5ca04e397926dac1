"""Backtest of the hiring-potential score on a deployment's own history (`manage.py hiring_potential_backtest`).

At a cutoff, for every occupation, employers are ranked twice from the postings before the cutoff only: by
the score (hiring.py) and by the baseline "most postings in the occupation last year". The truth is the set of
employers that post in that occupation in the next quarter (the horizon). Per occupation:
precision@k = hits in the top k / k, recall@k = hits in the top k / employers in the truth; both averaged over
the occupations that have at least one posting employer in the horizon and one ranked employer. Place is
left out (national): the score's place filter only narrows the same counts.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import hiring


@dataclass(frozen=True)
class Row:
    organisation_id: int
    occupation_id: int | None
    published_at: datetime.datetime


@dataclass
class Figures:
    precision: float = 0.0
    recall: float = 0.0


@dataclass
class BacktestResult:
    cutoff: datetime.datetime
    horizon_days: int
    k: int
    occupations: int = 0
    score: Figures = field(default_factory=Figures)
    baseline: Figures = field(default_factory=Figures)

    def as_dict(self) -> dict:
        return {"cutoff": self.cutoff.isoformat(), "horizon_days": self.horizon_days, "k": self.k,
                "occupations": self.occupations,
                f"score_precision_at_{self.k}": round(self.score.precision, 4),
                f"score_recall_at_{self.k}": round(self.score.recall, 4),
                f"baseline_precision_at_{self.k}": round(self.baseline.precision, 4),
                f"baseline_recall_at_{self.k}": round(self.baseline.recall, 4)}


def evaluate(rows: Iterable[Row], *, cutoff: datetime.datetime, horizon_days: int = 91, k: int = 10) -> BacktestResult:
    since = cutoff - datetime.timedelta(days=hiring.HISTORY_DAYS)
    until = cutoff + datetime.timedelta(days=horizon_days)
    ages: dict[int, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    totals: dict[int, int] = defaultdict(int)
    truth: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        if since <= row.published_at < cutoff:
            totals[row.organisation_id] += 1
            if row.occupation_id is not None:
                ages[row.occupation_id][row.organisation_id].append((cutoff - row.published_at).total_seconds() / 86400)
        elif cutoff <= row.published_at < until and row.occupation_id is not None:
            truth[row.occupation_id].add(row.organisation_id)
    result = BacktestResult(cutoff=cutoff, horizon_days=horizon_days, k=k)
    sums = {"sp": 0.0, "sr": 0.0, "bp": 0.0, "br": 0.0}
    for occupation_id, posted in truth.items():
        histories = [hiring.History(organisation_id=o, ages_days=tuple(a), total_24_months=totals[o])
                     for o, a in ages.get(occupation_id, {}).items()]
        if not histories:
            continue
        by_score = [history.organisation_id for history, _points in hiring.rank(histories, limit=k)]
        by_baseline = [history.organisation_id for history in hiring.baseline_rank(histories, limit=k)]
        result.occupations += 1
        sums["sp"] += len(posted.intersection(by_score)) / k
        sums["sr"] += len(posted.intersection(by_score)) / len(posted)
        sums["bp"] += len(posted.intersection(by_baseline)) / k
        sums["br"] += len(posted.intersection(by_baseline)) / len(posted)
    if result.occupations:
        n = result.occupations
        result.score = Figures(precision=sums["sp"] / n, recall=sums["sr"] / n)
        result.baseline = Figures(precision=sums["bp"] / n, recall=sums["br"] / n)
    return result
