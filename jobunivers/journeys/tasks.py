"""Background entry points of journeys."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="jobunivers.journeys.tasks.advance_journeys")
def advance_journeys() -> dict[int, tuple[int, int]]:
    """Enrol citizens on their track's published journey, then advance every due enrolment (journeys.engine).
    Idempotent: a second run at the same moment finds nothing due and sends nothing twice."""
    from .engine import advance, enrol, municipalities_with_journeys

    return {mid: (enrol(municipality_id=mid), advance(municipality_id=mid))
            for mid in municipalities_with_journeys()}


@shared_task(name="jobunivers.journeys.tasks.purge_journeys")
def purge_journeys() -> dict[int, dict[str, int]]:
    """Retention (journeys.retention): ended enrolments after the municipality's period. Idempotent."""
    from jobunivers.tenancy.selectors import retention_days

    from .retention import journeys_purge

    return {mid: journeys_purge(municipality_id=mid, retention_days=days)
            for mid, days in retention_days("feedback_retention_days").items()}


@shared_task(name="jobunivers.journeys.tasks.refresh_experiment_results")
def refresh_experiment_results() -> dict[str, int]:
    """Nightly (config/schedule.py): one refresh task per experiment whose result can still change
    (snapshots.experiments_to_refresh). Each experiment is its own task, so one that fails is logged and
    counted and the others run; run eagerly (embedded, tests), the failure is caught here for the same reason."""
    from .snapshots import experiments_to_refresh

    queued = failed = 0
    for experiment_id in experiments_to_refresh():
        try:
            refresh_experiment_result.delay(experiment_id)
            queued += 1
        except Exception:  # noqa: BLE001 - isolation is the point: one experiment must not stop the others
            failed += 1
            logger.exception("experiment result refresh failed: experiment=%s", experiment_id)
    return {"queued": queued, "failed": failed}


@shared_task(name="jobunivers.journeys.tasks.refresh_experiment_result")
def refresh_experiment_result(experiment_id: int) -> str:
    """Compute and store one experiment's result (snapshots.result_refresh: single-flight, idempotent)."""
    from .snapshots import result_refresh

    outcome = result_refresh(experiment_id=experiment_id)
    logger.info("experiment result refresh: experiment=%s outcome=%s", experiment_id, outcome)
    return outcome
