"""Background entry points of coffee meetings. Take ids, are idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="jobunivers.coffee.tasks.offer_invitation")
def offer_invitation(invitation_id: int) -> int:
    """Cards for the citizens who fit a newly published invitation (services.invitation_offer). A second run
    makes no new cards."""
    from .services import invitation_offer

    return invitation_offer(invitation_id=invitation_id)


@shared_task(name="jobunivers.coffee.tasks.purge_coffee")
def purge_coffee() -> dict[int, dict[str, int]]:
    """Retention (coffee.retention): cards of invitations that ended longer ago than the municipality's period."""
    from jobunivers.tenancy.selectors import retention_days

    from .retention import coffee_purge

    return {mid: coffee_purge(municipality_id=mid, retention_days=days)
            for mid, days in retention_days("marketplace_retention_days").items()}
