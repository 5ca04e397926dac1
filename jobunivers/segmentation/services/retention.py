"""Retention in segmentation (segmentation.tasks.purge_fairness_reviews)."""

from __future__ import annotations

from django.db.models import Max

from jobunivers.core.services import cutoff, delete_in_chunks

from ..models import FairnessReview

# Aggregates about the model, no person: kept as long as the model documentation (five years), and
# the newest review of each model version, nationally and per municipality, always stays (the public
# register shows it).
FAIRNESS_REVIEW_RETENTION_DAYS = 5 * 365


def fairness_reviews_purge(*, retention_days: int = FAIRNESS_REVIEW_RETENTION_DAYS, now=None) -> int:
    newest = (FairnessReview.objects.values("model_version_id", "municipality_id").annotate(newest=Max("id"))
              .values_list("newest", flat=True))
    return delete_in_chunks(FairnessReview.objects.filter(created_at__lt=cutoff(retention_days, now))
                            .exclude(pk__in=list(newest)))
