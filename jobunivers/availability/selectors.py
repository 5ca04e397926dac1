"""Reads of availability checks, scoped to the municipality in context."""

from __future__ import annotations

from django.db.models import QuerySet

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
