"""Who may do what in the assistant. Built on tenancy.permissions.roles_of."""

from __future__ import annotations

from jobunivers.tenancy.permissions import roles_of
from jobunivers.tenancy.roles import STAFF_ROLES, Role

CONTENT_ROLES = frozenset(STAFF_ROLES | {Role.MUNICIPALITY_ADMIN})


def _roles(actor, municipality_id) -> set:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return set()
    return set(roles_of(actor, municipality_id))


def can_view_handoffs(actor, municipality_id: int) -> bool:
    return bool(_roles(actor, municipality_id) & STAFF_ROLES)


def can_change_handoff(actor, handoff) -> bool:
    return can_view_handoffs(actor, handoff.municipality_id)


def can_view_unanswered(actor, municipality_id: int) -> bool:
    return bool(_roles(actor, municipality_id) & CONTENT_ROLES)


def can_edit_local_card(actor, card) -> bool:
    return card.municipality_id is not None and bool(_roles(actor, card.municipality_id) & CONTENT_ROLES)


def can_publish_local_card(actor, card) -> bool:
    """A second person reviews: whoever wrote the card cannot publish it."""
    return (can_edit_local_card(actor, card) and card.written_by_id is not None
            and card.written_by_id != getattr(actor, "pk", None))


def can_open_handoff(actor, municipality_id: int) -> bool:
    return Role.CITIZEN in _roles(actor, municipality_id)
