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
