"""Background entry points of the taxonomy app: idempotent, cheap when the vector cache is warm."""

from celery import shared_task


@shared_task(name="jobunivers.taxonomy.tasks.embed_occupations")
def embed_occupations() -> int:
    """Cache the vectors of every released occupation (only texts not yet cached are computed)."""
    from .selectors import embed_occupations as embed

    return embed()
