"""Permission predicates of the accounts app, used by its services and selectors (and so by views)."""

from __future__ import annotations

from jobunivers.tenancy.models import Membership
from jobunivers.tenancy.roles import STAFF_ROLES, Role
from jobunivers.tenancy.selectors import memberships_of

# Whose sign-in lock-out a municipality administrator may lift: the municipality's staff and administrators.
UNLOCKABLE_ROLES = frozenset(STAFF_ROLES | {Role.MUNICIPALITY_ADMIN})


def can_unlock_staff_membership(actor, membership: Membership) -> bool:
    """An active administrator of the same municipality, for a staff (or administrator) membership there."""
    if not getattr(actor, "is_authenticated", False) or membership.municipality_id is None:
        return False
    if membership.role not in UNLOCKABLE_ROLES or not membership.is_active or membership.user_id == actor.pk:
        return False
    return any(m.role == Role.MUNICIPALITY_ADMIN and m.municipality_id == membership.municipality_id
               for m in memberships_of(actor))
