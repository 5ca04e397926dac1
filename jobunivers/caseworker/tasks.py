"""Background entry points of the staff workspace: retention."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="jobunivers.caseworker.tasks.purge_opened_marks")
def purge_opened_marks() -> dict[int, int]:
    """Retention: "last opened by" marks, per municipality's access-log period. Idempotent."""
    from jobunivers.tenancy.selectors import retention_days

    from .services import opened_marks_purge

    return {mid: opened_marks_purge(municipality_id=mid, retention_days=days)
            for mid, days in retention_days("access_log_retention_days").items()}
