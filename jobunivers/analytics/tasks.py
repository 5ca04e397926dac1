"""Background entry points of analytics: the nightly retention of outcomes and the "people like you" figures."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="jobunivers.analytics.tasks.purge_outcomes")
def purge_outcomes() -> dict[int, int]:
    """Retention (analytics.retention): ended spells after the municipality's `outcome_retention_days`."""
    from jobunivers.tenancy.selectors import retention_days

    from .retention import outcomes_purge

    return {mid: outcomes_purge(municipality_id=mid, retention_days=days)
            for mid, days in retention_days("outcome_retention_days").items()}


@shared_task(name="jobunivers.analytics.tasks.build_people_like_you")
def build_people_like_you() -> dict[str, int]:
    """Nightly: rebuild the national "what worked for people like you" figures (peoplelikeyou.py, ADR 0130).
    Idempotent: the table is replaced whole, in one transaction."""
    from .peoplelikeyou import people_like_you_build

    report = people_like_you_build()
    return {"keys": report.keys, "figures": report.figures}
