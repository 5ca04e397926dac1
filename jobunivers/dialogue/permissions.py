"""Who may do what with message threads. Built on tenancy.permissions.roles_of.

- The citizen reads and writes their own threads, and opens new ones with their job centre.
- Job centre staff (job-journey assistant, job adviser, personal job consultant) of the citizen's
  municipality read and answer every thread of the municipality (the team inbox), assign, archive
  and open threads with a citizen. The municipality administrator manages content, not cases: no
  access. Another municipality's members see nothing (selectors answer NotFound).
"""

from __future__ import annotations

from jobunivers.tenancy.permissions import roles_of
from jobunivers.tenancy.roles import STAFF_ROLES, Role


def is_owner(actor, thread_or_citizen) -> bool:
    citizen = getattr(thread_or_citizen, "citizen", thread_or_citizen)
    return actor is not None and getattr(actor, "pk", None) is not None and citizen.user_id == actor.pk


def is_staff_of(actor, municipality_id: int) -> bool:
    return bool(roles_of(actor, municipality_id) & STAFF_ROLES)


def can_view_inbox(actor, municipality_id: int) -> bool:
    return is_staff_of(actor, municipality_id)


def can_view_thread(actor, thread) -> bool:
    return is_owner(actor, thread) or is_staff_of(actor, thread.municipality_id)


def can_write_in_thread(actor, thread) -> bool:
    return can_view_thread(actor, thread)


def can_open_thread(actor, citizen) -> bool:
    if is_owner(actor, citizen):
        return Role.CITIZEN in roles_of(actor, citizen.municipality_id)
    return is_staff_of(actor, citizen.municipality_id)


def can_assign_thread(actor, thread) -> bool:
    return is_staff_of(actor, thread.municipality_id)


def can_archive_thread(actor, thread) -> bool:
    return is_staff_of(actor, thread.municipality_id)


def can_be_assigned(user, municipality_id: int) -> bool:
    return is_staff_of(user, municipality_id)
