"""Background entry points of the marketplace."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="jobunivers.marketplace.tasks.purge_marketplace")
def purge_marketplace() -> dict[int, dict[str, int]]:
    """Retention (marketplace.retention): ended enrolments and suggestions after the municipality's
    `marketplace_retention_days`, use events after five financial years. Idempotent."""
    from jobunivers.tenancy.selectors import retention_days

    from .retention import marketplace_purge

    return {mid: marketplace_purge(municipality_id=mid, retention_days=days)
            for mid, days in retention_days("marketplace_retention_days").items()}
