"""Permission predicates, used by views, API and admin alike."""

from __future__ import annotations

from .models import Membership
from .roles import STAFF_ROLES, Role


def is_staff_member(membership: Membership | None) -> bool:
    return membership is not None and membership.role in STAFF_ROLES


def is_municipality_admin(membership: Membership | None) -> bool:
    return membership is not None and membership.role == Role.MUNICIPALITY_ADMIN


def can_edit_municipality(membership: Membership | None, municipality) -> bool:
    return is_municipality_admin(membership) and membership.municipality_id == municipality.pk  # type: ignore[union-attr]


def is_platform_operator(membership: Membership | None) -> bool:
    return membership is not None and membership.role == Role.PLATFORM_OPERATOR


def has_role(membership: Membership | None, *roles: str) -> bool:
    return membership is not None and membership.role in roles


def roles_of(actor, municipality_id: int | None) -> frozenset[str]:
    """The actor's active roles in one municipality (empty for anonymous users and outsiders).

    The one place the permission functions of every app ask "who is this here?", so a role
    check is never re-written per views module. One query; callers that check several things
    about the same actor and municipality pass the result along instead of asking again.
    """
    if actor is None or municipality_id is None or not getattr(actor, "is_authenticated", False):
        return frozenset()
    return frozenset(Membership.objects.filter(user_id=actor.pk, municipality_id=municipality_id, is_active=True)
                     .values_list("role", flat=True))


def access_log_role(actor, municipality_id: int) -> str:
    """The role to write in an access-log entry: the staff role if the actor has one there."""
    roles = roles_of(actor, municipality_id)
    for role in (Role.PERSONAL_CONSULTANT, Role.JOB_ADVISER, Role.JOB_JOURNEY_ASSISTANT, Role.MUNICIPALITY_ADMIN):
        if role in roles:
            return str(role)
    return next(iter(sorted(roles)), "")
