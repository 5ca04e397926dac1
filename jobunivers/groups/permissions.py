"""Who may do what with courses and job clubs (ADR 0120).

- Staff of the owner municipality create groups and see the list of its groups (no citizen data).
- The teachers of a group (staff of the owner municipality listed on the group) see its enrolments and
  waiting list, add meetings and tasks, change places and record attendance. In a cross-municipal job club
  they see the names of other municipalities' citizens, nothing more.
- Only the citizen joins and leaves; a group is open to them when it is their municipality's, or a
  cross-municipal one their municipality takes part in.
- The citizen's job centre sees their groups (status) and, where the citizen shares it, the attendance and
  the teacher's notes.
"""

from __future__ import annotations

from jobunivers.citizens.permissions import is_owner, is_staff_of


def can_create_group(actor, municipality_id: int) -> bool:
    return is_staff_of(actor, municipality_id)


def can_teach(actor, group) -> bool:
    if not is_staff_of(actor, group.municipality_id):
        return False
    return group.teachers.filter(pk=actor.pk).exists()


def can_join(actor, citizen) -> bool:
    return is_owner(actor, citizen)


def is_open_to(group, municipality_id: int) -> bool:
    """The group is for citizens of this municipality: its own, or a cross-municipal partner's."""
    if group.municipality_id == municipality_id:
        return True
    return group.is_cross_municipal and group.partners.filter(pk=municipality_id).exists()


def can_view_citizen_groups(actor, citizen) -> bool:
    return is_staff_of(actor, citizen.municipality_id)
