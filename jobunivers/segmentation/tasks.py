"""Background entry points of segmentation: the daily re-segmentation and the monthly fairness
review (config/schedule.py)."""

from __future__ import annotations

import logging
from functools import partial

from celery import shared_task
from django.db import transaction

from jobunivers.tenancy.selectors import active_municipalities

logger = logging.getLogger(__name__)


@shared_task(name="jobunivers.segmentation.tasks.resegment_all")
def resegment_all() -> int:
    """Enqueue one re-segmentation per active municipality (each idempotent within a day)."""
    ids = list(active_municipalities().values_list("id", flat=True))
    for municipality_id in ids:
        transaction.on_commit(partial(resegment_municipality.delay, municipality_id))
    return len(ids)


@shared_task(name="jobunivers.segmentation.tasks.resegment_municipality")
def resegment_municipality(municipality_id: int) -> dict:
    from .services import resegment_municipality as run

    result = run(municipality_id=municipality_id)
    logger.info("re-segmentation of municipality %s: %s reviewed, %s transitions, %s assigned, %s without capacity",
                municipality_id, result.reviewed, result.transitions, result.assigned, result.without_capacity)
    return {"reviewed": result.reviewed, "transitions": result.transitions, "assigned": result.assigned,
            "without_capacity": result.without_capacity}


@shared_task(name="jobunivers.segmentation.tasks.fairness_review_monthly")
def fairness_review_monthly() -> int:
    """The active model judged on decided cases with a known outcome (a new review each month)."""
    from .services import fairness_review_run

    review = fairness_review_run()
    return review.cases if review else 0


@shared_task(name="jobunivers.segmentation.tasks.second_review_sample_all")
def second_review_sample_all() -> int:
    """Draw last month's decisions for a second review, per active municipality (idempotent)."""
    from .services import second_review_sample

    return sum(len(second_review_sample(municipality_id=municipality_id))
               for municipality_id in active_municipalities().values_list("id", flat=True))


@shared_task(name="jobunivers.segmentation.tasks.purge_fairness_reviews")
def purge_fairness_reviews() -> int:
    """Retention: fairness reviews older than five years (the newest per model version stays)."""
    from .services import fairness_reviews_purge

    return fairness_reviews_purge()


@shared_task(name="jobunivers.segmentation.tasks.purge_track_history")
def purge_track_history() -> dict[int, dict[str, int]]:
    """Retention: changes of interaction track and the tracks of citizens who have left, per the
    municipality's `track_change_retention_days`. Idempotent."""
    from jobunivers.tenancy.selectors import retention_days

    from .services import track_history_purge

    return {mid: track_history_purge(municipality_id=mid, retention_days=days)
            for mid, days in retention_days("track_change_retention_days").items()}


@shared_task(name="jobunivers.segmentation.tasks.suggestions_for_municipality")
def suggestions_for_municipality(municipality_id: int, citizen_ids: list[int] | None = None) -> int:
    """Explained suggestions for a municipality's citizens (all by default) in batches: when a
    municipality starts with its caseload, or after a register import or a new model for everyone."""
    from .services import suggestions_create

    return suggestions_create(municipality_id=municipality_id, citizen_ids=citizen_ids)
