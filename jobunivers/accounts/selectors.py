"""Reads about users and demo personas."""

from __future__ import annotations

from django.db.models import QuerySet

from jobunivers.tenancy.models import Membership
from jobunivers.tenancy.roles import Role

from .models import User

PERSONA_ROLE_ORDER = [
    Role.CITIZEN, Role.JOB_ADVISER, Role.PERSONAL_CONSULTANT, Role.JOB_JOURNEY_ASSISTANT,
    Role.MUNICIPALITY_ADMIN, Role.EMPLOYER, Role.VENDOR, Role.PLATFORM_OPERATOR,
]


def demo_personas(*, municipality_id: int | None, citizens: int = 4) -> list[Membership]:
    """Demo users to show on a start page: staff of every role, a few citizens, or the national roles."""
    scope = {"municipality_id": municipality_id} if municipality_id is not None else {"municipality__isnull": True}
    memberships: QuerySet[Membership] = Membership.objects.filter(
        user__is_demo=True, is_active=True, **scope
    ).select_related("user", "municipality").order_by("role", "user__username")
    result: list[Membership] = []
    citizen_count = 0
    for membership in memberships:
        if membership.role == Role.CITIZEN:
            if citizen_count >= citizens:
                continue
            citizen_count += 1
        result.append(membership)
    return sorted(result, key=lambda m: (PERSONA_ROLE_ORDER.index(Role(m.role)), m.user.username))


def get_demo_user(*, user_id: int) -> User | None:
    return User.objects.filter(pk=user_id, is_demo=True, is_active=True).first()
