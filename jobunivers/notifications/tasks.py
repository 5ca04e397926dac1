"""Background entry points of notifications. Idempotent; safe to run in several workers at once."""

from __future__ import annotations

from celery import shared_task

from . import delivery

MAX_BATCHES_PER_RUN = 50


@shared_task(name="jobunivers.notifications.tasks.deliver_outbox")
def deliver_outbox() -> dict:
    """Send what is due right away, batch after batch, until nothing is due (bounded per run)."""
    totals = {"sent": 0, "retrying": 0, "failed": 0, "deferred": 0}
    for _batch in range(MAX_BATCHES_PER_RUN):
        report = delivery.deliver_due()
        for key in totals:
            totals[key] += getattr(report, key)
        if report.claimed == 0:
            break
    return totals


@shared_task(name="jobunivers.notifications.tasks.send_digests")
def send_digests() -> dict:
    report = delivery.send_digests()
    return {"sent": report.sent, "retrying": report.retrying, "failed": report.failed}


@shared_task(name="jobunivers.notifications.tasks.recover_interrupted")
def recover_interrupted() -> dict:
    return delivery.recover_interrupted()


@shared_task(name="jobunivers.notifications.tasks.purge_old_notices")
def purge_old_notices() -> dict[int, int]:
    """Retention: notices and their deliveries, per municipality's settings. Idempotent."""
    from jobunivers.tenancy.selectors import retention_days

    from .services import notifications_purge

    return {mid: notifications_purge(municipality_id=mid, retention_days=days)
            for mid, days in retention_days("notification_retention_days").items()}
