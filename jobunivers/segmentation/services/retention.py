"""Retention in segmentation (segmentation.tasks.purge_fairness_reviews, purge_track_history)."""

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


def track_history_purge(*, municipality_id: int, retention_days: int, now=None) -> dict[str, int]:
    """Retention of the interaction tracks (segmentation.tasks.purge_track_history), per the
    municipality's `track_change_retention_days`:

    - changes of track (`Transition`, with the signals as they were) older than the period go,
      except each citizen's newest, which explains the track the citizen is on now;
    - a citizen's current track (`CitizenInteraction`) stays while the citizen is followed up (it
      goes with the citizen), and goes once the citizen has left (register outcome set, so
      re-segmentation no longer reviews them) and the track is older than the period.
    """
    from ..models import CitizenInteraction, RegisterData, Transition

    before = cutoff(retention_days, now)
    newest = (Transition.all_tenants.filter(municipality_id=municipality_id).values("citizen_id")
              .annotate(newest=Max("id")).values("newest"))
    transitions = delete_in_chunks(Transition.all_tenants.filter(municipality_id=municipality_id,
                                                                 created_at__lt=before)
                                   .exclude(pk__in=newest))
    left = RegisterData.all_tenants.filter(municipality_id=municipality_id).exclude(outcome="").values("citizen_id")
    tracks = delete_in_chunks(CitizenInteraction.all_tenants.filter(municipality_id=municipality_id, since__lt=before,
                                                                    citizen_id__in=left))
    return {"transitions": transitions, "tracks": tracks}
