"""Background entry points of the agreements app."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="jobunivers.agreements.tasks.purge_old_statements")
def purge_old_statements() -> dict[int, int]:
    """Paid statements past the bookkeeping period (services.RETENTION_YEARS), per municipality."""
    from jobunivers.tenancy.selectors import active_municipalities

    from .services import statements_purge

    return {municipality_id: statements_purge(municipality_id=municipality_id)
            for municipality_id in active_municipalities().values_list("pk", flat=True)}
