from celery import shared_task


@shared_task
def purge_old_threads() -> dict[int, int]:
    """Threads without a message for the municipality's `dialogue_retention_days` are deleted."""
    from jobunivers.tenancy.selectors import retention_days

    from .services import threads_purge

    return {mid: threads_purge(municipality_id=mid, retention_days=days)
            for mid, days in retention_days("dialogue_retention_days").items()}


@shared_task
def send_staff_digests() -> dict[int, int]:
    """Each morning: one digest per staff member with threads waiting for the job centre."""
    from jobunivers.tenancy.selectors import active_municipalities

    from .services import staff_digest_send

    return {m.pk: staff_digest_send(municipality_id=m.pk) for m in active_municipalities()}
