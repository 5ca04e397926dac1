"""Background entry points of analytics: the nightly retention of outcomes."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="jobunivers.analytics.tasks.purge_outcomes")
def purge_outcomes() -> dict[int, int]:
    """Retention (analytics.retention): ended spells after the municipality's `outcome_retention_days`."""
    from jobunivers.tenancy.selectors import retention_days

    from .retention import outcomes_purge

    return {mid: outcomes_purge(municipality_id=mid, retention_days=days)
            for mid, days in retention_days("outcome_retention_days").items()}
