"""Background entry points of matching: fan-out of new and changed postings (and the sweep that
catches postings whose fan-out was lost), posting vectors, and training a learned ranking model.

Fan-out tasks are acknowledged late: a worker that dies mid-batch leaves its message unacknowledged,
the broker hands it out again after its visibility timeout (CELERY_BROKER_TRANSPORT_OPTIONS), and
the batch's one transaction either committed (its postings are marked and skipped) or left nothing.
"""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings

from jobunivers.jobs import selectors as jobs

SWEEP_GRACE = datetime.timedelta(minutes=10)  # leave the regular path time before the sweep steps in
SWEEP_HORIZON = datetime.timedelta(days=7)  # older postings are not news any more
SWEEP_LIMIT = 20_000


def enqueue_fanout(*, posting_ids, only_new: bool) -> int:
    """One task per batch of MATCHING_FANOUT_BATCH_SIZE postings, in id order; returns the number of tasks."""
    ids = sorted(set(posting_ids))
    size = settings.MATCHING_FANOUT_BATCH_SIZE
    for start in range(0, len(ids), size):
        fanout_postings.delay(ids[start:start + size], only_new)
    return (len(ids) + size - 1) // size


@shared_task(name="jobunivers.matching.tasks.fanout_postings", acks_late=True, reject_on_worker_lost=True)
def fanout_postings(posting_ids: list[int], only_new: bool = True) -> dict:
    """Fan out one batch of postings: one scoring pass, one transaction. Idempotent."""
    from .fanout import fanout_postings as run

    report = run(posting_ids=posting_ids, only_new=only_new)
    return {"postings": report.postings, "notices": report.notices_created, "skipped": report.already_fanned_out,
            "seconds": round(report.seconds, 2)}


@shared_task(name="jobunivers.matching.tasks.sweep_fanout", acks_late=True)
def sweep_fanout() -> int:
    """Fan out active postings that never were (their message was lost); returns how many were queued."""
    from .fanout import never_fanned_out

    ids = never_fanned_out(older_than=SWEEP_GRACE, within=SWEEP_HORIZON, limit=SWEEP_LIMIT)
    if ids:
        enqueue_fanout(posting_ids=ids, only_new=True)
    return len(ids)


@shared_task(name="jobunivers.matching.tasks.refresh_posting_vectors")
def refresh_posting_vectors(posting_ids: list[int] | None = None) -> int:
    """Embed postings whose text changed (all active ones when no ids are given)."""
    from .vectors import posting_text
    from .vectors import refresh_posting_vectors as refresh

    queryset = jobs.active_postings()
    if posting_ids is not None:
        queryset = queryset.filter(pk__in=posting_ids)
    rows = queryset.values_list("id", "title", "occupation__preferred_label")
    done = 0
    batch: list[tuple[int, str]] = []
    for pid, title, label in rows.iterator(chunk_size=2000):
        batch.append((pid, posting_text(title=title, occupation_label=label)))
        if len(batch) >= 2000:
            done += refresh(batch)
            batch = []
    return done + refresh(batch)


@shared_task(name="jobunivers.matching.tasks.refresh_profile_vector")
def refresh_profile_vector(citizen_id: int, municipality_id: int) -> bool:
    """Embed one citizen's profile text into the cache (after they changed it)."""
    from .vectors import refresh_profile_vector as refresh

    return refresh(citizen_id=citizen_id, municipality_id=municipality_id)


@shared_task(name="jobunivers.matching.tasks.train_ranking_model")
def train_ranking_model() -> dict:
    from .learning import train_from_interactions

    return train_from_interactions().as_dict()


@shared_task(name="jobunivers.matching.tasks.purge_behaviour")
def purge_behaviour() -> dict[int, dict[str, int]]:
    """Retention: feeds shown and the interaction log, per municipality's settings. Idempotent."""
    from jobunivers.tenancy.selectors import retention_days

    from .services import feeds_purge, interactions_purge

    feeds, interactions = retention_days("feed_retention_days"), retention_days("interaction_retention_days")
    return {mid: {"feeds": feeds_purge(municipality_id=mid, retention_days=days),
                  "interactions": interactions_purge(municipality_id=mid, retention_days=interactions[mid])}
            for mid, days in feeds.items()}


@shared_task(name="jobunivers.matching.tasks.purge_fanout_marks")
def purge_fanout_marks() -> int:
    """Retention: fan-out marks of postings no longer active, after 30 days. Idempotent."""
    from .services import fanout_marks_purge

    return fanout_marks_purge()
