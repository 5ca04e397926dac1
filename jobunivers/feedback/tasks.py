"""Background entry points of feedback: retention."""

from celery import shared_task


@shared_task(name="jobunivers.feedback.tasks.purge_feedback")
def purge_feedback() -> dict[int, int]:
    """Retention: questions and their answers older than the municipality's `feedback_retention_days`.
    Idempotent."""
    from jobunivers.tenancy.selectors import retention_days

    from .services import feedback_purge

    return {mid: feedback_purge(municipality_id=mid, retention_days=days)
            for mid, days in retention_days("feedback_retention_days").items()}
