"""Stored results of experiments (docs/adr/0160). Analysing an experiment reads every assigned citizen's notices,
job log, bookings and unemployment spells: 6-9 s at 117,000 citizens. So the result is computed here, stored as
a `ResultSnapshot`, and the results page shows the newest one with the time it was computed:

- `result_compute`: analyse now and store, in one transaction; only the newest KEEP per experiment stay.
- `result_refresh`: the same for a task, single-flight per experiment (a second refresh while one runs does
  nothing), by a lock in Django's cache (Redis in production, shared by every worker).
- `result_refresh_request`: staff ask for a new computation ("Beregn igen"); the same permission as the page.
- `experiments_to_refresh`: what the nightly task refreshes: running experiments, and stopped ones whose
  outcomes (a job within 26 weeks) can still mature.
"""

from __future__ import annotations

import datetime
import time
from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jobunivers.core.context import tenant_context
from jobunivers.core.errors import NotFound

from . import permissions
from .contracts import ResultsAnalyser, results_analyser
from .models import HOLDOUT, Experiment, ExperimentStatus, ResultSnapshot
from .selectors import expected_shares, experiment_units

KEEP = 3  # the newest results per experiment; older ones are deleted when a new one is stored
LOCK_SECONDS = 30 * 60  # longer than any computation; a worker killed mid-way frees the experiment after this
OUTCOMES_MATURE_DAYS = 183  # the longest outcome horizon (26 weeks) after the last assignment, and a day


def _lock_key(experiment_id: int) -> str:
    return f"journeys:result-refresh:{experiment_id}"


def analyse(*, experiment: Experiment, analyser: ResultsAnalyser):
    """The analyser's result for the experiment as it is now, and the number of citizens it counted."""
    units = experiment_units(experiment=experiment)
    if not units:
        return None, 0
    variants = list(experiment.variants.all())
    result = analyser.analyse(municipality_id=experiment.municipality_id, experiment_key=experiment.key,
                              units=units, expected=expected_shares(experiment=experiment),
                              control=HOLDOUT if experiment.holdout_percent else variants[0].key,
                              arm_labels={v.key: v.name for v in variants})
    return result, len(units)


def result_compute(*, experiment: Experiment) -> ResultSnapshot | None:
    """Analyse the experiment and store the result with the time the reading began (what a live page would have
    shown then). None without an analyser (analytics not installed) or before anyone is assigned."""
    analyser = results_analyser()
    if analyser is None:
        return None
    computed_at = timezone.now()
    started = time.perf_counter()
    with tenant_context(experiment.municipality_id), transaction.atomic():  # a task has no request's tenant
        result, units = analyse(experiment=experiment, analyser=analyser)
        if not units:
            return None
        snapshot = ResultSnapshot.all_tenants.create(
            municipality_id=experiment.municipality_id, experiment=experiment, computed_at=computed_at,
            format_version=analyser.format_version, analysis=analyser.dump(result) if result is not None else None,
            units=units, seconds=round(time.perf_counter() - started, 3))
        older = list(ResultSnapshot.all_tenants.filter(experiment=experiment).order_by("-computed_at", "-id")
                     .values_list("id", flat=True)[KEEP:])
        if older:
            ResultSnapshot.all_tenants.filter(id__in=older).delete()
    return snapshot


def result_refresh(*, experiment_id: int) -> str:
    """Compute and store one experiment's result unless a computation of it is running: "stored", "busy",
    "nothing" (no analyser, nobody assigned) or "gone"."""
    key = _lock_key(experiment_id)
    if not cache.add(key, 1, timeout=LOCK_SECONDS):
        return "busy"
    try:
        experiment = Experiment.all_tenants.filter(pk=experiment_id).first()
        if experiment is None:
            return "gone"
        return "stored" if result_compute(experiment=experiment) is not None else "nothing"
    finally:
        cache.delete(key)


def result_refresh_request(*, actor, municipality_id: int, experiment_id: int) -> bool:
    """Staff ask for the result to be computed again (in the background). The page's own permission: the
    municipality's staff and administrators; another municipality's experiment is NotFound. False when a
    computation of it is already running (nothing more is queued)."""
    if not permissions.can_view_experiment_results(actor, municipality_id):
        raise NotFound
    if not Experiment.all_tenants.filter(pk=experiment_id, municipality_id=municipality_id).exists():
        raise NotFound
    if cache.get(_lock_key(experiment_id)) is not None:
        return False
    from .tasks import refresh_experiment_result

    transaction.on_commit(partial(refresh_experiment_result.delay, experiment_id))
    return True


def experiments_to_refresh(*, now: datetime.datetime | None = None) -> list[int]:
    """Running experiments, and stopped ones stopped less than OUTCOMES_MATURE_DAYS ago (their outcomes are
    still becoming observable); every municipality's, oldest first."""
    since = (now or timezone.now()) - datetime.timedelta(days=OUTCOMES_MATURE_DAYS)
    return list(Experiment.all_tenants.filter(
        Q(status=ExperimentStatus.RUNNING) | Q(status=ExperimentStatus.STOPPED, stopped_at__gte=since))
        .order_by("id").values_list("id", flat=True))
