"""Reads about users and demo personas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from jobunivers.tenancy.models import Membership
from jobunivers.tenancy.roles import Role

from .cpr import key_fingerprints, keys_are_derived, readable_with_newest_key
from .models import CitizenIdentity, User
from .permissions import UNLOCKABLE_ROLES, can_unlock_staff_membership

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


@dataclass(frozen=True)
class LockedStaff:
    membership_id: int
    user_id: int
    name: str
    username: str
    role: str
    failures: int
    locked_until: datetime


def locked_staff(*, actor, municipality_id: int) -> list[LockedStaff]:
    """Staff of this municipality whose sign-in is locked now (from some address), for its administrator.

    Empty for anyone who may not unlock them (permissions.can_unlock_staff_membership).
    """
    from axes.models import AccessAttempt

    cool_off = settings.AXES_COOLOFF_TIME
    since = timezone.now() - cool_off
    memberships = {
        m.user.username: m for m in Membership.objects.filter(
            municipality_id=municipality_id, is_active=True, role__in=UNLOCKABLE_ROLES,
        ).select_related("user")
    }
    attempts = AccessAttempt.objects.filter(
        username__in=list(memberships), failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since,
    ).order_by("username", "-attempt_time")
    result: dict[str, LockedStaff] = {}
    for attempt in attempts:
        membership = memberships[attempt.username]
        if attempt.username in result or not can_unlock_staff_membership(actor, membership):
            continue
        result[attempt.username] = LockedStaff(
            membership_id=membership.pk, user_id=membership.user_id,
            name=membership.user.get_full_name() or membership.user.username, username=membership.user.username,
            role=membership.role, failures=attempt.failures_since_start,
            locked_until=attempt.attempt_time + cool_off,
        )
    return sorted(result.values(), key=lambda item: item.name)


def cpr_key_fingerprints() -> dict:
    """Fingerprints of the CPR keys this process uses (for a backup's manifest; never the keys)."""
    return key_fingerprints()


def cpr_keys_are_derived() -> bool:
    return keys_are_derived()


def cpr_tokens_needing_old_keys() -> int:
    """How many stored CPR numbers the newest encryption key cannot open yet (0: old keys may go)."""
    tokens = CitizenIdentity.objects.values_list("cpr_encrypted", flat=True).iterator()
    return len([token for token in tokens if not readable_with_newest_key(token)])


def last_logins(*, user_ids) -> dict[int, datetime]:
    """User id -> the time of their last sign-in, for those who ever signed in (journeys' condition
    "logged in"). Ids and times only."""
    ids = sorted(set(user_ids))
    found: dict[int, datetime] = {}
    for start in range(0, len(ids), 500):  # SQLite's limit on query parameters
        for user_id, last_login in (User.objects.filter(pk__in=ids[start:start + 500], last_login__isnull=False)
                                    .values_list("pk", "last_login")):
            if last_login is not None:
                found[user_id] = last_login
    return found
