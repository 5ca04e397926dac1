"""From records to the arrays of effect.py: who had a spell, who used the service in its first weeks,
how long until a job, and what they looked like before (docs/adr/0098).

- One spell per citizen: the latest that started at least `landmark_days` before today and was still
  open at the landmark (day `landmark_days` of the spell). The register's spell is used where the
  register has the citizen; otherwise the job centre's, otherwise the citizen's own (ADR 0097).
- A user first used the service within the spell's first `landmark_days` days; a non-user had not used
  it by the landmark; someone who used it before the spell started is left out (neither).
- Time to job is counted in weeks from the landmark; a spell that ended for another reason, or is still
  open, is censored there (or today).
- Pre-use characteristics come from the register data (segmentation.selectors.pre_use_characteristics);
  citizens without them are left out of a matched comparison, and the page says how many.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

import numpy as np
from django.core.cache import cache
from django.utils import timezone

from . import effect
from .exposures import ServiceUses, services_for
from .models import ExitReason, OutcomeSource, UnemploymentSpell

LANDMARK_DAYS = 28
CACHE_SECONDS = 3600
SOURCE_PRIORITY: dict[str, int] = {OutcomeSource.REGISTER: 0, OutcomeSource.STAFF: 1, OutcomeSource.CITIZEN: 2,
                                   OutcomeSource.EMPLOYER: 3}


@dataclass(frozen=True)
class Spell:
    citizen_id: int
    started_on: datetime.date
    ended_on: datetime.date | None
    exit_reason: str


@dataclass(frozen=True)
class EffectResult:
    service_key: str
    service_label: str
    landmark_days: int
    estimate: effect.Estimate | None   # None: nobody to compare
    without_characteristics: int       # left out of the matched comparison (no register data)
    computed_on: datetime.date


def spells_at_landmark(*, municipality_id: int, landmark_days: int, today: datetime.date) -> dict[int, Spell]:
    """Citizen id -> the spell the comparison uses (see the module docstring)."""
    last_start = today - datetime.timedelta(days=landmark_days)
    chosen: dict[int, tuple[tuple, Spell]] = {}
    rows = UnemploymentSpell.all_tenants.filter(municipality_id=municipality_id, started_on__lte=last_start).values_list(
        "citizen_id", "source", "started_on", "ended_on", "exit_reason")
    for citizen_id, source, started_on, ended_on, exit_reason in rows.iterator(chunk_size=5000):
        rank = (SOURCE_PRIORITY[source], -started_on.toordinal())
        if citizen_id not in chosen or rank < chosen[citizen_id][0]:
            chosen[citizen_id] = (rank, Spell(citizen_id, started_on, ended_on, exit_reason))
    landmark = datetime.timedelta(days=landmark_days)
    return {citizen_id: spell for citizen_id, (_rank, spell) in chosen.items()
            if spell.ended_on is None or spell.ended_on >= spell.started_on + landmark}


def _encode(values: list[tuple], names: tuple[str, ...]) -> tuple[np.ndarray, list[str]]:
    """Numbers stay numbers (a missing one becomes 0 with an indicator column); text becomes one column
    per value except the most common (the reference)."""
    columns, labels = [], []
    for position, name in enumerate(names):
        column = [row[position] for row in values]
        if all(value is None or isinstance(value, int | float) for value in column):
            missing = np.array([value is None for value in column], dtype=float)
            columns.append(np.array([0.0 if value is None else float(value) for value in column]))
            labels.append(name)
            if missing.any():
                columns.append(missing)
                labels.append(f"{name} (missing)")
            continue
        seen = sorted({str(value) for value in column})
        if len(seen) < 2:
            continue
        reference = max(seen, key=lambda value: sum(1 for v in column if str(v) == value))
        for value in seen:
            if value != reference:
                columns.append(np.array([1.0 if str(v) == value else 0.0 for v in column]))
                labels.append(f"{name}={value or '?'}")
    return (np.column_stack(columns) if columns else np.zeros((len(values), 0))), labels


def compare(*, municipality_id: int, service: ServiceUses, landmark_days: int = LANDMARK_DAYS,
            today: datetime.date | None = None) -> EffectResult:
    from jobunivers.segmentation.selectors import PRE_USE_CHARACTERISTICS, pre_use_characteristics

    today = today or timezone.localdate()
    spells = spells_at_landmark(municipality_id=municipality_id, landmark_days=landmark_days, today=today)
    landmark = datetime.timedelta(days=landmark_days)
    if service.randomised:
        units = [(citizen_id, day, citizen_id in service.first_use) for citizen_id, day in service.assigned.items()
                 if citizen_id in spells]
    else:
        units = []
        for citizen_id, spell in spells.items():
            first = service.first_use.get(citizen_id)
            if first is not None and first < spell.started_on:
                continue  # used it before this spell: neither user nor non-user
            start = spell.started_on + landmark
            units.append((citizen_id, start, first is not None and first < start))
    characteristics = pre_use_characteristics(municipality_id=municipality_id)
    without = sum(1 for citizen_id, _start, _used in units if citizen_id not in characteristics)
    if not service.randomised:
        units = [unit for unit in units if unit[0] in characteristics]
    if not units:
        return EffectResult(service.key, service.label, landmark_days, None, without, today)
    durations, events = [], []
    for citizen_id, start, _used in units:
        spell = spells[citizen_id]
        end = spell.ended_on if spell.ended_on is not None else today
        durations.append(max((end - start).days, 0) / 7)
        events.append(1 if spell.ended_on is not None and spell.exit_reason == ExitReason.JOB else 0)
    covariates, names = _encode([characteristics.get(citizen_id, (None,) * len(PRE_USE_CHARACTERISTICS))
                                 for citizen_id, _start, _used in units], PRE_USE_CHARACTERISTICS)
    start_year = np.array([start.toordinal() / 365.25 for _c, start, _u in units])
    if start_year.std() > 0:
        covariates = np.column_stack([covariates, start_year - start_year.mean()])
        names.append("start")
    found = effect.estimate(durations=np.array(durations), events=np.array(events),
                            used=np.array([used for _c, _s, used in units]), covariates=covariates, names=names,
                            randomised=service.randomised)
    return EffectResult(service.key, service.label, landmark_days, replace(found, compared_users=None), without, today)


def service_effect(*, municipality_id: int, service_key: str, today: datetime.date | None = None) -> EffectResult | None:
    """The comparison for one service of the municipality (None if the service is unknown), memoised in
    Django's cache for an hour (it refits a regression and two curves)."""
    today = today or timezone.localdate()
    key = f"analytics:effect:{municipality_id}:{service_key}:{today.isoformat()}"
    found = cache.get(key)
    if found is None:
        service = next((s for s in services_for(municipality_id) if s.key == service_key), None)
        if service is None:
            return None
        found = compare(municipality_id=municipality_id, service=service, today=today)
        cache.set(key, found, CACHE_SECONDS)
    return found
