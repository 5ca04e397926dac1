"""Background entry points of the accounts app: retention of sign-in records."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="jobunivers.accounts.tasks.purge_sign_in_records")
def purge_sign_in_records() -> dict:
    """Retention: single sign-on requests, assertions and session links (fixed technical periods);
    staff unlock records, break-glass sign-ins and the IdP links of former staff per municipality's
    access-log period. Idempotent."""
    from jobunivers.tenancy.selectors import retention_days

    from .services import (
        break_glass_sign_ins_purge,
        sign_in_records_purge,
        staff_identities_purge,
        staff_unlocks_purge,
    )

    periods = retention_days("access_log_retention_days")
    result: dict = {"sign_in": sign_in_records_purge()}
    for key, purge in (("staff_unlocks", staff_unlocks_purge), ("break_glass", break_glass_sign_ins_purge),
                       ("staff_identities", staff_identities_purge)):
        result[key] = {mid: purge(municipality_id=mid, retention_days=days) for mid, days in periods.items()}
    return result
