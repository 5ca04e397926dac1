"""Events from other apps, read by attribute (config/events.py wires them): a citizen who found a job or changed
track leaves their journeys (the exits), and a completed learning module meets a step's condition "completed".
Each handler is idempotent: a retried event changes nothing more."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import Enrolment, EnrolmentState, ExitReason, Journey, StepKind, StepRun

OPEN_STATES = (EnrolmentState.ACTIVE, EnrolmentState.HOLDOUT)


def _exit(*, municipality_id: int, citizen_id: int, reason: str, journey_ids=None) -> int:
    now = timezone.now()
    # The holdout stays in its arm (the comparison needs everyone assigned); only running journeys stop.
    rows = Enrolment.all_tenants.filter(municipality_id=municipality_id, citizen_id=citizen_id,
                                        state=EnrolmentState.ACTIVE)
    if journey_ids is not None:
        rows = rows.filter(journey_id__in=journey_ids)
    with transaction.atomic():
        return rows.update(state=EnrolmentState.EXITED, exit_reason=reason, ended_at=now, next_due_at=None,
                           updated_at=now)


def on_outcome_recorded(event) -> None:
    """analytics.contracts.OutcomeRecorded: exit "job found" when the spell ended in a job."""
    if getattr(event, "exit_reason", "") == "job":
        _exit(municipality_id=event.municipality_id, citizen_id=event.citizen_id, reason=ExitReason.JOB_FOUND)


def on_track_decided(event) -> None:
    """segmentation.contracts.TrackDecided: journeys of another track end ("track changed")."""
    others = list(Journey.all_tenants.filter(municipality_id=event.municipality_id)
                  .exclude(track_key=event.track_key).values_list("id", flat=True))
    if others:
        _exit(municipality_id=event.municipality_id, citizen_id=event.citizen_id, reason=ExitReason.TRACK_CHANGED,
              journey_ids=others)


def on_module_completed(event) -> None:
    """learning.contracts.ModuleCompleted: the step that shared this module is completed."""
    StepRun.all_tenants.filter(municipality_id=event.municipality_id, citizen_id=event.citizen_id,
                               step__kind=StepKind.LESSON, step__target=str(event.item_id),
                               completed_at__isnull=True).update(completed_at=getattr(event, "completed_at", None)
                                                                 or timezone.now())
