"""Permission predicates, used by views, API and admin alike."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from .models import Membership
from .roles import STAFF_ROLES, Role

# (user id, municipality id) -> roles, for the request being served (None outside a request).
_request_roles: ContextVar[dict[tuple[int, int], frozenset[str]] | None] = ContextVar("request_roles", default=None)


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
    check is never re-written per views module. One query; within a request none for the signed-in
    user, whose memberships the request has read already (`roles_remembered`), and one per other
    actor and municipality. A membership saved or deleted during the request is seen at once
    (`forget_roles`).
    """
    if actor is None or municipality_id is None or not getattr(actor, "is_authenticated", False):
        return frozenset()
    memo = _request_roles.get()
    key = (actor.pk, municipality_id)
    if memo is not None and key in memo:
        return memo[key]
    roles = frozenset(Membership.objects.filter(user_id=actor.pk, municipality_id=municipality_id, is_active=True)
                      .values_list("role", flat=True))
    if memo is not None:
        memo[key] = roles
    return roles


@contextmanager
def roles_remembered(user=None, memberships: Iterable[Membership] = (),
                     municipality_ids: Iterable[int | None] = ()) -> Iterator[None]:
    """Within the block (one request: tenancy.middleware), roles_of answers from memory once it has
    asked. `memberships`: the user's active memberships as the request read them; with
    `municipality_ids`, the user's roles in each of those municipalities are known without a query
    (empty where the user has no membership)."""
    memo: dict[tuple[int, int], frozenset[str]] = {}
    if user is not None and getattr(user, "is_authenticated", False):
        memberships = list(memberships)
        for municipality_id in {*municipality_ids, *(m.municipality_id for m in memberships)}:
            if municipality_id is not None:
                memo[(user.pk, municipality_id)] = frozenset(
                    m.role for m in memberships if m.municipality_id == municipality_id and m.is_active)
    token = _request_roles.set(memo)
    try:
        yield
    finally:
        _request_roles.reset(token)


def forget_roles(**_kwargs) -> None:
    """Forget the request's remembered roles (a membership changed): connected to Membership's
    post_save and post_delete, and called by bulk updates of memberships."""
    memo = _request_roles.get()
    if memo is not None:
        memo.clear()


def access_log_role(actor, municipality_id: int) -> str:
    """The role to write in an access-log entry: the staff role if the actor has one there."""
    roles = roles_of(actor, municipality_id)
    for role in (Role.PERSONAL_CONSULTANT, Role.JOB_ADVISER, Role.JOB_JOURNEY_ASSISTANT, Role.MUNICIPALITY_ADMIN):
        if role in roles:
            return str(role)
    return next(iter(sorted(roles)), "")
