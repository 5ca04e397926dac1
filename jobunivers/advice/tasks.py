"""Background entry points: the weekly diagnosis run over every citizen, and one citizen's recompute
when their facts changed (job log, profile, CV, start questionnaire)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000


@shared_task(name="jobunivers.advice.tasks.diagnoses_recompute_all")
def diagnoses_recompute_all(batch_size: int = BATCH_SIZE) -> int:
    """Every citizen's diagnosis, in batches of `batch_size` (one market index for the whole run)."""
    from jobunivers.citizens.selectors import citizen_ids_after

    from .facts import market_index
    from .services import diagnoses_compute

    market = market_index()
    neighbours: dict = {}
    last_id, total = 0, 0
    while True:
        batch = citizen_ids_after(after_id=last_id, limit=batch_size)
        if not batch:
            break
        total += diagnoses_compute(first_id=batch[0][0], last_id=batch[-1][0], market=market, neighbours=neighbours)
        last_id = batch[-1][0]
    logger.info("diagnoses recomputed: %s", total)
    return total


@shared_task(name="jobunivers.advice.tasks.diagnosis_recompute")
def diagnosis_recompute(citizen_id: int) -> int:
    from .services import diagnosis_recompute as recompute

    return recompute(citizen_id=citizen_id)


def on_facts_changed(event) -> None:
    """Handler of citizens' JobLogEntryAdded, ProfileChanged and OnboardingCompleted (config/events.py)."""
    citizen_id = event.citizen_id
    transaction.on_commit(lambda: diagnosis_recompute.delay(citizen_id))
