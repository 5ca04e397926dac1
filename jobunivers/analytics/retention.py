"""Retention of outcomes (analytics.tasks.purge_outcomes, nightly): a spell that ended more than the
municipality's `outcome_retention_days` ago is deleted, whatever its source; open spells stay (they
describe the citizen's unemployment now). Idempotent."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jobunivers.core.services import delete_in_chunks

from .models import UnemploymentSpell


def outcomes_purge(*, municipality_id: int, retention_days: int, today: datetime.date | None = None) -> int:
    before = (today or timezone.localdate()) - datetime.timedelta(days=retention_days)
    return delete_in_chunks(UnemploymentSpell.all_tenants.filter(municipality_id=municipality_id,
                                                                 ended_on__lt=before))
