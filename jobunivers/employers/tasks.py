"""Background entry points of employers: link postings that are not linked to an organisation yet (the back
catalogue after the first deploy, or a write whose PostingsPublished handler failed for good)."""

from __future__ import annotations

from celery import shared_task

SWEEP_LIMIT = 50_000  # postings per run: the back catalogue is linked over a few runs, never in one long task


@shared_task(name="jobunivers.employers.tasks.index_missing_postings", acks_late=True, reject_on_worker_lost=True)
def index_missing_postings() -> int:
    from .services import organisations_index_missing

    return organisations_index_missing(limit=SWEEP_LIMIT)
