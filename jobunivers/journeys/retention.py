"""Retention in journeys: an enrolment that ended (completed or left) goes, with its step runs, after the
municipality's `feedback_retention_days` counted from the end; an experiment's assignments and exposures (and
the holdout's enrolments) go the same period after the experiment stopped. Journeys and experiments feed the
same knowledge as the feedback answers (what works, issue 19), so they follow the period the municipality set
for those. Running journeys and experiments stay."""

from __future__ import annotations

import datetime

from jobunivers.core.services import cutoff, delete_in_chunks

from .models import Assignment, Enrolment, EnrolmentState, ExperimentStatus, Exposure


def journeys_purge(*, municipality_id: int, retention_days: int, now: datetime.datetime | None = None
                   ) -> dict[str, int]:
    """Idempotent: a second run deletes nothing more."""
    before = cutoff(retention_days, now)
    ended = Enrolment.all_tenants.filter(municipality_id=municipality_id, ended_at__lt=before,
                                         state__in=[EnrolmentState.COMPLETED, EnrolmentState.EXITED])
    stopped = {"experiment__status": ExperimentStatus.STOPPED, "experiment__stopped_at__lt": before}
    holdout = Enrolment.all_tenants.filter(municipality_id=municipality_id, state=EnrolmentState.HOLDOUT,
                                           version__experiment__status=ExperimentStatus.STOPPED,
                                           version__experiment__stopped_at__lt=before)
    return {"enrolments": delete_in_chunks(ended) + delete_in_chunks(holdout),
            "assignments": delete_in_chunks(Assignment.all_tenants.filter(municipality_id=municipality_id, **stopped)),
            "exposures": delete_in_chunks(Exposure.all_tenants.filter(municipality_id=municipality_id, **stopped))}
