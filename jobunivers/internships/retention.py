"""Retention of internships (ADR 0125): a card, with its application and the snapshot it shared, goes after the
municipality's `marketplace_retention_days` counted from the place's last day (an internship is one more offer to
the citizen, as coffee meetings and learning count theirs). Funnel events stay without the card (SET_NULL):
counts with no identity. The plan item the approval made is the plan's, kept by the plan's own rule. Places are
the employer's and go with the employer, not here."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jobunivers.core.services import delete_in_chunks

from .models import Suggestion


def internships_purge(*, municipality_id: int, retention_days: int,
                      now: datetime.datetime | None = None) -> dict[str, int]:
    """Idempotent: a second run deletes nothing more."""
    before = timezone.localdate(now or timezone.now()) - datetime.timedelta(days=retention_days)
    ended = Suggestion.all_tenants.filter(municipality_id=municipality_id, place__ends_on__lt=before)
    return {"cards": delete_in_chunks(ended)}
