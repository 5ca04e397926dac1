"""Who may do what in segmentation: `can_<verb>_<entity>(actor, obj) -> bool` (docs/development.md).

Services and selectors check these; views, the API and the admin inherit them.
"""

from __future__ import annotations

from jobunivers.tenancy.permissions import roles_of
from jobunivers.tenancy.roles import STAFF_ROLES, Role


def can_view_suggestion(actor, citizen) -> bool:
    """Staff of the citizen's municipality read a track suggestion, its inputs and decisions."""
    return bool(roles_of(actor, citizen.municipality_id) & STAFF_ROLES)


def can_manage_fairness_groups(actor, municipality_id: int) -> bool:
    """The municipality's administrator registers and removes its own fairness groups."""
    return Role.MUNICIPALITY_ADMIN in roles_of(actor, municipality_id)


def can_assign_consultant(actor, citizen) -> bool:
    """Staff, and the municipality's administrator (who distributes caseloads), assign a consultant."""
    return bool(roles_of(actor, citizen.municipality_id) & (STAFF_ROLES | {Role.MUNICIPALITY_ADMIN}))


# --- Lists over citizens (actor: the user; municipality: the one whose workspace is opened) -------


def can_view_worklist(actor, municipality_id: int) -> bool:
    """Pending suggestions, open disagreements and citizens without a consultant: staff and the
    municipality's administrator (who distributes caseloads)."""
    return bool(roles_of(actor, municipality_id) & (STAFF_ROLES | {Role.MUNICIPALITY_ADMIN}))


def can_view_caseload(actor, municipality_id: int) -> bool:
    """The citizens assigned to the personal job consultant."""
    return Role.PERSONAL_CONSULTANT in roles_of(actor, municipality_id)


def can_view_second_reviews(actor, municipality_id: int) -> bool:
    return bool(roles_of(actor, municipality_id) & STAFF_ROLES)
