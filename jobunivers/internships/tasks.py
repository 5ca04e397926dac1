"""Background entry points of internships. Take ids, are idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="jobunivers.internships.tasks.offer_place")
def offer_place(place_id: int) -> int:
    """Cards for the citizens who fit a newly published place (services.place_offer); a second run makes none."""
    from .services import place_offer

    return place_offer(place_id=place_id)


@shared_task(name="jobunivers.internships.tasks.advance_internships")
def advance_internships() -> dict[str, int]:
    """The daily run (services.internships_advance): plan items on the first and after the last day, nudges,
    and open places offered to citizens who fit them now."""
    from .services import internships_advance

    return internships_advance()


@shared_task(name="jobunivers.internships.tasks.purge_internships")
def purge_internships() -> dict[int, dict[str, int]]:
    """Retention (internships.retention): cards and applications of places that ended longer ago than the
    municipality's period."""
    from jobunivers.tenancy.selectors import retention_days

    from .retention import internships_purge

    return {mid: internships_purge(municipality_id=mid, retention_days=days)
            for mid, days in retention_days("marketplace_retention_days").items()}
