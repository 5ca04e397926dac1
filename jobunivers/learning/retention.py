"""Retention in learning (ADR 0093): an enrolment that ended (completed or left) goes, with its lessons'
progress, after the municipality's `marketplace_retention_days` counted from the end; learning records
(xAPI statements) after the same period counted from when they were stored. Learning modules are
one more kind of offer to the citizen, so they follow the period the municipality set for ended
enrolments in offers. Open enrolments stay. Interview practices (ADR 0114) go after the same period counted
from the review, or from the start for a practice never reviewed (nobody comes back to one that old); the
recordings the citizen shared from a practice (ADR 0135) go with it, files too."""

from __future__ import annotations

import datetime

from django.db.models import Q

from jobunivers.core.services import cutoff, delete_in_chunks

from .interview_services import recording_directory
from .models import (
    EnrolmentStatus,
    InterviewRecording,
    InterviewSession,
    InterviewStatus,
    ModuleEnrolment,
    Statement,
)


def learning_purge(*, municipality_id: int, retention_days: int, now: datetime.datetime | None = None
                   ) -> dict[str, int]:
    """Idempotent: a second run deletes nothing more."""
    before = cutoff(retention_days, now)
    ended = ModuleEnrolment.all_tenants.filter(municipality_id=municipality_id).filter(
        Q(status=EnrolmentStatus.COMPLETED, completed_at__lt=before)
        | Q(status=EnrolmentStatus.WITHDRAWN, withdrawn_at__lt=before))
    statements = Statement.all_tenants.filter(municipality_id=municipality_id, stored__lt=before)
    interviews = InterviewSession.all_tenants.filter(municipality_id=municipality_id).filter(
        Q(status=InterviewStatus.DONE, reviewed_at__lt=before)
        | ~Q(status=InterviewStatus.DONE) & Q(started_at__lt=before))
    # The files go after their rows (deleted in chunks, each its own transaction), as dialogue's attachments.
    paths = [recording_directory() / name for name in InterviewRecording.all_tenants.filter(
        answer__session__in=interviews).values_list("storage_name", flat=True)]
    interviews_deleted = delete_in_chunks(interviews)
    for path in paths:
        path.unlink(missing_ok=True)
    return {"enrolments": delete_in_chunks(ended), "statements": delete_in_chunks(statements),
            "interviews": interviews_deleted}
