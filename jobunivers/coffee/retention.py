"""Retention of coffee meetings (ADR 0110): a card, with its answer and the snapshot a yes shared, goes after the
municipality's `marketplace_retention_days` counted from the invitation's last day (an invitation is one more
offer suggested to the citizen). Its funnel events stay, without the card (SET_NULL): counts with no
identity. Invitations are the employer's and go with the employer's erasure, not here."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jobunivers.core.services import delete_in_chunks

from .models import Offer


def coffee_purge(*, municipality_id: int, retention_days: int, now: datetime.datetime | None = None) -> dict[str, int]:
    """Idempotent: a second run deletes nothing more."""
    before = timezone.localdate(now or timezone.now()) - datetime.timedelta(days=retention_days)
    ended = Offer.all_tenants.filter(municipality_id=municipality_id, invitation__last_day__lt=before)
    return {"cards": delete_in_chunks(ended)}
