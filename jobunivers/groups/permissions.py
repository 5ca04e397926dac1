"""Who may do what with courses and job clubs (ADR 0120).

- Staff of the owner municipality create groups and see the list of its groups (no citizen data).
- The teachers of a group (staff of the owner municipality listed on the group) see its enrolments and
  waiting list, add meetings and tasks, change places and record attendance. In a cross-municipal job club
  they see the names of other municipalities' citizens, nothing more.
- A member of the marketplace vendor named on the group (if any) teaches it as well, from the national
  vendor pages: the same names, meetings and attendance as a staff teacher; only staff choose the vendor.
- Only the citizen joins and leaves; a group is open to them when it is their municipality's, or a
  cross-municipal one their municipality takes part in.
- The citizen's job centre sees their groups (status) and, where the citizen shares it, the attendance and
  the teacher's notes.
"""

from __future__ import annotations

from jobunivers.citizens.permissions import is_owner, is_staff_of
from jobunivers.marketplace.permissions import vendor_id_of


def can_create_group(actor, municipality_id: int) -> bool:
    return is_staff_of(actor, municipality_id)


def can_teach(actor, group) -> bool:
    """Staff of the owner municipality listed as teachers, or a member of the vendor named on the group."""
    if group.vendor_id is not None and vendor_id_of(actor) == group.vendor_id:
        return True
    if not is_staff_of(actor, group.municipality_id):
        return False
    return group.teachers.filter(pk=actor.pk).exists()


def can_choose_vendor(actor, group) -> bool:
    """Only the owner municipality's staff name (or remove) the vendor teaching a group."""
    return is_staff_of(actor, group.municipality_id)


def can_join(actor, citizen) -> bool:
    return is_owner(actor, citizen)


def is_open_to(group, municipality_id: int) -> bool:
    """The group is for citizens of this municipality: its own, or a cross-municipal partner's."""
    if group.municipality_id == municipality_id:
        return True
    return group.is_cross_municipal and group.partners.filter(pk=municipality_id).exists()


def can_view_citizen_groups(actor, citizen) -> bool:
    return is_staff_of(actor, citizen.municipality_id)
