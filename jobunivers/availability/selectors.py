"""Reads of availability checks, scoped to the municipality in context."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from jobunivers.audit.services import citizen_access_record
from jobunivers.core.errors import NotFound

from . import permissions
from .contracts import PAST_DEADLINE
from .models import AvailabilityConfirmation, AvailabilityNotice, AvailabilityStatus


def status_for_citizen(*, citizen_id: int) -> AvailabilityStatus | None:
    return AvailabilityStatus.objects.filter(citizen_id=citizen_id).first()


def notices_for_citizen(*, citizen_id: int, limit: int = 20) -> list[AvailabilityNotice]:
    return list(AvailabilityNotice.objects.filter(citizen_id=citizen_id).order_by("-sent_at", "-id")[:limit])


def confirmations_for_citizen(*, citizen_id: int, limit: int = 20) -> list[AvailabilityConfirmation]:
    return list(AvailabilityConfirmation.objects.filter(citizen_id=citizen_id).order_by("-confirmed_at")[:limit])


def past_deadline(*, limit: int = 500) -> QuerySet[AvailabilityStatus]:
    """Citizens whose deadline has passed, longest overdue first: the staff's availability worklist."""
    return (
        AvailabilityStatus.objects.filter(state__in=PAST_DEADLINE)
        .select_related("citizen__user", "citizen__postcode")
        .order_by("deadline_on", "id")[:limit]
    )


def count_past_deadline() -> int:
    return AvailabilityStatus.objects.filter(state__in=PAST_DEADLINE).count()


@dataclass(frozen=True)
class PastDeadlineList:
    statuses: list[AvailabilityStatus]
    total: int


@transaction.atomic
def access_past_deadline(*, actor, municipality_id: int, limit: int = 500) -> PastDeadlineList:
    """The staff's availability worklist, read and access-logged (purpose availability) in one transaction."""
    if not permissions.can_view_worklist(actor, municipality_id):
        raise NotFound
    result = PastDeadlineList(statuses=list(past_deadline(limit=limit)), total=count_past_deadline())
    citizen_access_record(actor=actor, municipality_id=municipality_id, citizen_id=None, action="search",
                          purpose="availability", what="availability worklist",
                          criterion="availability deadline passed")
    return result
