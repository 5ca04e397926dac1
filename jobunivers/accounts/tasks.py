"""Background entry points of the accounts app: retention of sign-in records."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="jobunivers.accounts.tasks.purge_sign_in_records")
def purge_sign_in_records() -> dict:
    """Retention: single sign-on requests, assertions and session links (fixed technical periods),
    and staff unlock records per municipality's access-log period. Idempotent."""
    from jobunivers.tenancy.selectors import retention_days

    from .services import sign_in_records_purge, staff_unlocks_purge

    result: dict = {"sign_in": sign_in_records_purge()}
    result["staff_unlocks"] = {mid: staff_unlocks_purge(municipality_id=mid, retention_days=days)
                               for mid, days in retention_days("access_log_retention_days").items()}
    return result
