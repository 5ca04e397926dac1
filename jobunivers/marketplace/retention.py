"""Retention in the marketplace (marketplace.tasks.purge_marketplace; ADR 0084, "Retention").

- Use events are accounting records (bogføringsloven § 10): deleted five full financial years after their
  year, as paid statements are (agreements.services.statements_purge). The `enrolled` event of an enrolment
  that had not ended by then stays: a statement rebuilds the enrolment from it.
- Ended enrolments (completed or withdrawn) and offers staff suggested to a citizen go after the
  municipality's `marketplace_retention_days`, counted from the end or the suggestion. Open enrolments stay.
  The events of a deleted enrolment keep the pseudonym (the link is nulled by the foreign key).
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from jobunivers.core.services import cutoff, delete_in_chunks

from .models import Enrolment, EnrolmentStatus, OfferShare, UseEvent, UseKind

ACCOUNTING_YEARS = 5


def accounting_cutoff(today: datetime.date | None = None) -> datetime.datetime:
    """The start of the oldest financial year still kept (local time)."""
    today = today or timezone.localdate()
    return datetime.datetime(today.year - ACCOUNTING_YEARS, 1, 1, tzinfo=timezone.get_current_timezone())


def use_events_purge(*, municipality_id: int, today: datetime.date | None = None) -> int:
    before = accounting_cutoff(today)
    old = UseEvent.all_tenants.filter(municipality_id=municipality_id, occurred_at__lt=before)
    closed_before = UseEvent.all_tenants.filter(
        municipality_id=municipality_id, offer_id=OuterRef("offer_id"), subject=OuterRef("subject"),
        kind__in=[UseKind.COMPLETED, UseKind.WITHDRAWN], occurred_at__gte=OuterRef("occurred_at"),
        occurred_at__lt=before)
    still_open = Q(kind=UseKind.ENROLLED) & ~Q(Exists(closed_before))
    return delete_in_chunks(old.exclude(still_open))


def ended_purge(*, municipality_id: int, retention_days: int, now: datetime.datetime | None = None
                ) -> dict[str, int]:
    before = cutoff(retention_days, now)
    ended = Enrolment.all_tenants.filter(municipality_id=municipality_id).filter(
        Q(status=EnrolmentStatus.COMPLETED, completed_at__lt=before)
        | Q(status=EnrolmentStatus.WITHDRAWN, withdrawn_at__lt=before))
    shares = OfferShare.all_tenants.filter(municipality_id=municipality_id, created_at__lt=before)
    return {"enrolments": delete_in_chunks(ended), "shares": delete_in_chunks(shares)}


def marketplace_purge(*, municipality_id: int, retention_days: int, now: datetime.datetime | None = None
                      ) -> dict[str, int]:
    """Both rules for one municipality; idempotent (a second run deletes nothing more)."""
    result = ended_purge(municipality_id=municipality_id, retention_days=retention_days, now=now)
    result["use_events"] = use_events_purge(municipality_id=municipality_id,
                                            today=timezone.localtime(now).date() if now else None)
    return result
