"""Background entry points of courses and job clubs. Take ids, are idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="jobunivers.groups.tasks.purge_groups")
def purge_groups() -> dict[int, dict[str, int]]:
    """Retention (groups.retention): ended enrolments older than the municipality's period."""
    from jobunivers.tenancy.selectors import retention_days

    from .retention import groups_purge

    return {mid: groups_purge(municipality_id=mid, retention_days=days)
            for mid, days in retention_days("marketplace_retention_days").items()}
