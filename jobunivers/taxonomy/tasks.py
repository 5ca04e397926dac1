"""Background entry points of the taxonomy app: idempotent, cheap when the vector cache is warm."""

from celery import shared_task


@shared_task(name="jobunivers.taxonomy.tasks.embed_occupations")
def embed_occupations() -> int:
    """Cache the vectors of every released occupation (only texts not yet cached are computed)."""
    from .selectors import embed_occupations as embed

    return embed()


@shared_task(name="jobunivers.taxonomy.tasks.purge_query_embeddings")
def purge_query_embeddings() -> int:
    """Retention: cached vectors of query texts older than EMBEDDING_QUERY_RETENTION_DAYS."""
    from django.conf import settings

    from .services import query_embeddings_purge

    return query_embeddings_purge(retention_days=settings.EMBEDDING_QUERY_RETENTION_DAYS)
