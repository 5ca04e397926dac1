"""Background entry points of availability checks: the daily step, per municipality."""

from __future__ import annotations

from celery import shared_task

from jobunivers.tenancy.selectors import active_municipalities


@shared_task(name="jobunivers.availability.tasks.availability_refresh")
def availability_refresh(municipality_id: int) -> dict:
    from .services import statuses_refresh

    report = statuses_refresh(municipality_id=municipality_id)
    return {"municipality_id": municipality_id, "created": report.created, "changed": report.changed,
            "notices": report.notices}


@shared_task(name="jobunivers.availability.tasks.availability_refresh_all")
def availability_refresh_all() -> int:
    """Daily: one task per municipality that uses Jobunivers (idempotent, safe to run twice)."""
    ids = list(active_municipalities().values_list("id", flat=True))
    for municipality_id in ids:
        availability_refresh.delay(municipality_id)
    return len(ids)
