"""Background entry points of the jobs app: take ids, idempotent, enqueued on commit."""

import logging

from celery import shared_task

from . import conf

logger = logging.getLogger(__name__)


@shared_task(name="jobunivers.jobs.tasks.embed_postings")
def embed_postings(posting_ids: list[int]) -> int:
    from .services import posting_embeddings_refresh

    return posting_embeddings_refresh(posting_ids=posting_ids)


def on_embeddings_wanted(event) -> None:
    """Handler of jobs.contracts.PostingEmbeddingsWanted (wired in config/events.py): queue the work."""
    embed_postings.delay(list(event.posting_ids))


@shared_task(name="jobunivers.jobs.tasks.embed_missing_postings")
def embed_missing_postings(limit: int = 2000) -> int:
    """Catch-up for postings imported without embeddings (demo, benchmarks, bulk loads)."""
    from .models import JobPosting, PostingStatus
    from .services import posting_embeddings_refresh

    ids = list(JobPosting.objects.filter(status=PostingStatus.ACTIVE, embedding__isnull=True)
               .order_by("-published_at").values_list("pk", flat=True)[:limit])
    return posting_embeddings_refresh(posting_ids=ids)


@shared_task(name="jobunivers.jobs.tasks.expire_postings")
def expire_postings() -> int:
    from .services import postings_expire

    return postings_expire()


@shared_task(name="jobunivers.jobs.tasks.sync_feeds")
def sync_feeds() -> list[str]:
    """Import every feed in settings.JOBS_FEEDS ("name=url;name=url"); one failing feed does not stop the others."""
    from jobunivers.core.errors import ValidationFailed

    from .services import import_from_location

    results = []
    for source, location in feeds_from_setting(conf.feeds()):
        try:
            results.append(import_from_location(source=source, location=location).summary())
        except ValidationFailed as error:
            logger.warning("job feed %s failed: %s", source, error)
            results.append(f"{source}: failed: {error}")
    return results


def feeds_from_setting(value: str) -> list[tuple[str, str]]:
    feeds = []
    for part in (value or "").split(";"):
        name, _sep, location = part.strip().partition("=")
        if name.strip() and location.strip():
            feeds.append((name.strip(), location.strip()))
    return feeds
