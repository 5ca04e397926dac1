"""Background entry points of journeys."""

from __future__ import annotations

from celery import shared_task


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
