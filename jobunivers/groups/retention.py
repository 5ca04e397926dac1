"""Retention of courses and job clubs (ADR 0120): an enrolment that ended (left or completed), with its
attendance and task items, goes after the municipality's `marketplace_retention_days` counted from its end;
a group is one more offer to the citizen, as learning modules are (ADR 0093). A citizen's plan items stay:
they are the plan's and follow its rules."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from jobunivers.core.services import delete_in_chunks

from .models import Enrolment, EnrolmentStatus


def groups_purge(*, municipality_id: int, retention_days: int, now: datetime.datetime | None = None) -> dict[str, int]:
    """Idempotent: a second run deletes nothing more."""
    before = (now or timezone.now()) - datetime.timedelta(days=retention_days)
    ended = Enrolment.all_tenants.filter(municipality_id=municipality_id).filter(
        Q(status=EnrolmentStatus.LEFT, left_at__lt=before) | Q(status=EnrolmentStatus.COMPLETED, completed_at__lt=before))
    return {"enrolments": delete_in_chunks(ended)}
