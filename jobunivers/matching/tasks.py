"""Background entry points of matching: fan-out of new and changed postings, posting vectors,
and training a learned ranking model. Idempotent (the outbox key prevents double notices)."""

from __future__ import annotations

from celery import shared_task

from jobunivers.jobs import selectors as jobs


@shared_task(name="jobunivers.matching.tasks.fanout_postings")
def fanout_postings(posting_ids: list[int]) -> dict:
    from .fanout import fanout_postings as run

    report = run(posting_ids=list(posting_ids))
    return {"postings": report.postings, "notices": report.notices_created, "seconds": round(report.seconds, 2)}


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


@shared_task(name="jobunivers.matching.tasks.train_ranking_model")
def train_ranking_model() -> dict:
    from .learning import train_from_interactions

    return train_from_interactions().as_dict()
