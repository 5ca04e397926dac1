"""Background entry points of matching: fan-out of new and changed postings, posting vectors,
and training a learned ranking model. Idempotent (the outbox key prevents double notices)."""

from __future__ import annotations

from celery import shared_task

from jobunivers.jobs import selectors as jobs

FANOUT_BATCH_SIZE = 1000  # postings per run: scored together, written in one transaction


@shared_task(name="jobunivers.matching.tasks.fanout_postings")
def fanout_postings(posting_ids: list[int]) -> dict:
    """Fan out a batch of postings: one run (one scoring pass, one transaction) per FANOUT_BATCH_SIZE."""
    from .fanout import fanout_postings as run

    ids = sorted(set(posting_ids))
    done = {"postings": 0, "notices": 0, "seconds": 0.0}
    for start in range(0, len(ids), FANOUT_BATCH_SIZE):
        report = run(posting_ids=ids[start:start + FANOUT_BATCH_SIZE])
        done["postings"] += report.postings
        done["notices"] += report.notices_created
        done["seconds"] = round(done["seconds"] + report.seconds, 2)
    return done


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
