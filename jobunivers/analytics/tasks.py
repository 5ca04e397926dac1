"""Background entry points of analytics: the nightly retention of outcomes, the "people like you" figures
and the results dashboard's snapshot every 15 minutes."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="jobunivers.analytics.tasks.purge_outcomes")
def purge_outcomes() -> dict[int, int]:
    """Retention (analytics.retention): ended spells after the municipality's `outcome_retention_days`."""
    from jobunivers.tenancy.selectors import retention_days

    from .retention import outcomes_purge

    return {mid: outcomes_purge(municipality_id=mid, retention_days=days)
            for mid, days in retention_days("outcome_retention_days").items()}


@shared_task(name="jobunivers.analytics.tasks.build_people_like_you")
def build_people_like_you() -> dict[str, int]:
    """Nightly: rebuild the national "what worked for people like you" figures (peoplelikeyou.py, ADR 0130).
    Idempotent: the table is replaced whole, in one transaction."""
    from .peoplelikeyou import people_like_you_build

    report = people_like_you_build()
    return {"keys": report.keys, "figures": report.figures}


@shared_task(name="jobunivers.analytics.tasks.refresh_dashboard")
def refresh_dashboard(municipality_id: int) -> dict:
    """Compute and store one municipality's dashboard snapshot (ADR 0155). Idempotent; skipped when a
    refresh of the municipality is already running (services.dashboard_snapshot_refresh, single-flight)."""
    from .services import dashboard_snapshot_refresh

    snapshot = dashboard_snapshot_refresh(municipality_id=municipality_id)
    return {"municipality_id": municipality_id, "refreshed": snapshot is not None,
            "duration_ms": snapshot.duration_ms if snapshot is not None else None}


@shared_task(name="jobunivers.analytics.tasks.refresh_dashboards")
def refresh_dashboards() -> dict[str, int]:
    """Every 15 minutes: one refresh task per municipality that has citizens. Each municipality is isolated:
    with a broker each is its own task; run eagerly (embedded, tests) a failing municipality is logged here
    and the others still run."""
    from jobunivers.citizens.selectors import citizen_counts

    ids = sorted(citizen_counts())
    failed = 0
    for municipality_id in ids:
        try:
            refresh_dashboard.delay(municipality_id)
        except Exception:
            failed += 1
            logger.exception("dashboard refresh failed: municipality_id=%s", municipality_id)
    return {"municipalities": len(ids), "failed": failed}
