"""Background entry points of learning."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="jobunivers.learning.tasks.purge_learning")
def purge_learning() -> dict[int, dict[str, int]]:
    """Retention (learning.retention): ended enrolments after the municipality's period. Idempotent."""
    from jobunivers.tenancy.selectors import retention_days

    from .retention import learning_purge

    return {mid: learning_purge(municipality_id=mid, retention_days=days)
            for mid, days in retention_days("marketplace_retention_days").items()}


@shared_task(name="jobunivers.learning.tasks.send_learning_nudges")
def send_learning_nudges() -> dict[int, int]:
    """The daily nudge to citizens who started a module and have not finished it (learning.nudges).
    Idempotent per citizen and day: a second run the same day queues nothing."""
    from .nudges import municipalities_with_learners, nudges_send

    return {mid: nudges_send(municipality_id=mid) for mid in municipalities_with_learners()}
