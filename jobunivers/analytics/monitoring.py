"""The monitoring figures: per municipality (the dashboard) and for all of them (the national comparison
and the open data), aggregated in the database — a handful of grouped queries whatever the number of
citizens or events, never a loop over citizens (bench/bench_analytics.py).

Outcome figures use the register's spells only (ADR 0097); jobs reported by staff or citizens are
counted apart. "In a job N months after the spell started" is jobindsats' status measure: among spells
that started at least N months ago, the share that had ended in a job within N months (a month is
counted as 30.44 days). Time to job is the Kaplan–Meier median (other exits and open spells censored).
Counts from 1 to 4 are suppressed wherever they are shown or exported (`small`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q

from .models import ExitReason, OutcomeSource, UnemploymentSpell

MONTHS = (1, 3, 6)
DAYS_PER_MONTH = 30.44
SMALL_CELL = 5


def small(count: int | None) -> bool:
    return count is not None and 0 < count < SMALL_CELL


@dataclass(frozen=True)
class Share:
    months: int
    eligible: int
    in_job: int

    @property
    def hidden(self) -> bool:
        return small(self.eligible) or small(self.in_job)

    @property
    def value(self) -> float | None:
        return None if self.hidden or not self.eligible else self.in_job / self.eligible


@dataclass
class OutcomeFigures:
    spells: int = 0
    shares: dict[int, Share] = field(default_factory=dict)
    median_weeks: float | None = None
    jobs: int = 0                  # register spells that ended in a job
    reported_jobs: int = 0         # jobs reported by staff or citizens (not in the figures above)


def _cutoff(today: datetime.date, months: int) -> datetime.date:
    return today - datetime.timedelta(days=round(months * DAYS_PER_MONTH))


def outcome_figures(*, today: datetime.date, municipality_ids: list[int] | None = None) -> dict[int, OutcomeFigures]:
    spells = UnemploymentSpell.all_tenants.filter(source=OutcomeSource.REGISTER)
    reports = UnemploymentSpell.all_tenants.filter(source__in=[OutcomeSource.STAFF, OutcomeSource.CITIZEN,
                                                                  OutcomeSource.EMPLOYER],
                                                   exit_reason=ExitReason.JOB)
    if municipality_ids is not None:
        spells = spells.filter(municipality_id__in=municipality_ids)
        reports = reports.filter(municipality_id__in=municipality_ids)
    duration = ExpressionWrapper(F("ended_on") - F("started_on"), output_field=DurationField())
    counts = {"spells": Count("id"), "jobs": Count("id", filter=Q(exit_reason=ExitReason.JOB))}
    for months in MONTHS:
        cutoff = _cutoff(today, months)
        counts[f"eligible_{months}"] = Count("id", filter=Q(started_on__lte=cutoff))
        counts[f"in_job_{months}"] = Count("id", filter=Q(
            started_on__lte=cutoff, exit_reason=ExitReason.JOB,
            duration__lte=datetime.timedelta(days=round(months * DAYS_PER_MONTH))))
    found: dict[int, OutcomeFigures] = {}
    grouped: list[Any] = list(spells.alias(duration=duration).values("municipality_id").annotate(**counts).order_by())
    for row in grouped:
        found[row["municipality_id"]] = OutcomeFigures(
            spells=row["spells"], jobs=row["jobs"],
            shares={m: Share(m, row[f"eligible_{m}"], row[f"in_job_{m}"]) for m in MONTHS})
    for municipality_id, n in reports.values("municipality_id").annotate(n=Count("id")).values_list(
            "municipality_id", "n").order_by():
        found.setdefault(municipality_id, OutcomeFigures()).reported_jobs = n
    # Time to job: ended spells grouped by their length, open spells by their start (censored today).
    lengths: dict[int, list[tuple[float, int, int]]] = {}
    for municipality_id, reason, length, n in (spells.filter(ended_on__isnull=False).annotate(length=duration)
                                               .values("municipality_id", "exit_reason", "length")
                                               .annotate(n=Count("id")).values_list(
                                                   "municipality_id", "exit_reason", "length", "n").order_by()):
        lengths.setdefault(municipality_id, []).append((length.days / 7, int(reason == ExitReason.JOB), n))
    for municipality_id, started_on, n in (spells.filter(ended_on__isnull=True).values("municipality_id", "started_on")
                                           .annotate(n=Count("id")).values_list("municipality_id", "started_on", "n")
                                           .order_by()):
        lengths.setdefault(municipality_id, []).append(((today - started_on).days / 7, 0, n))
    for municipality_id, rows in lengths.items():
        found.setdefault(municipality_id, OutcomeFigures()).median_weeks = kaplan_meier_median(rows)
    return found


def kaplan_meier_median(rows: list[tuple[float, int, int]]) -> float | None:
    """The first time the Kaplan–Meier survival drops to 0.5 or below, from (time, event, count) rows;
    None if it never does (fewer than half found a job by the longest time seen)."""
    if not rows:
        return None
    times = np.array([r[0] for r in rows])
    events = np.array([r[1] for r in rows])
    counts = np.array([r[2] for r in rows])
    order = np.argsort(times, kind="stable")
    times, events, counts = times[order], events[order], counts[order]
    unique = np.unique(times)
    at_risk = counts.sum() - np.concatenate([[0], np.cumsum([counts[times == t].sum() for t in unique])[:-1]])
    died = np.array([counts[(times == t) & (events == 1)].sum() for t in unique])
    survival = np.cumprod(1 - np.divide(died, at_risk, out=np.zeros(len(unique)), where=at_risk > 0))
    below = np.flatnonzero(survival <= 0.5)
    return round(float(unique[below[0]]), 1) if below.size else None


@dataclass
class MunicipalityFigures:
    municipality_id: int
    citizens: int
    outcomes: OutcomeFigures
    bookings: int
    held: int
    threads: int

    def per_person(self, count: int) -> float | None:
        return None if small(self.citizens) or not self.citizens else round(count / self.citizens, 2)


def figures(*, today: datetime.date, municipality_ids: list[int] | None = None) -> dict[int, MunicipalityFigures]:
    """Every figure of the comparison, per municipality (all when ids are None)."""
    from jobunivers.booking.selectors import booking_counts
    from jobunivers.citizens.selectors import citizen_counts
    from jobunivers.dialogue.selectors import thread_counts

    citizens = citizen_counts(municipality_ids=municipality_ids)
    outcomes = outcome_figures(today=today, municipality_ids=municipality_ids)
    bookings = booking_counts(municipality_ids=municipality_ids)
    threads = thread_counts(municipality_ids=municipality_ids)
    ids = set(citizens) | set(outcomes) | set(bookings) | set(threads)
    if municipality_ids is not None:
        ids |= set(municipality_ids)
    return {mid: MunicipalityFigures(municipality_id=mid, citizens=citizens.get(mid, 0),
                                     outcomes=outcomes.get(mid, OutcomeFigures()),
                                     bookings=bookings.get(mid, (0, 0))[0], held=bookings.get(mid, (0, 0))[1],
                                     threads=threads.get(mid, 0)) for mid in ids}
