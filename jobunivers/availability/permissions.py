"""Who may do what in availability control: `can_<verb>_<entity>(actor, obj) -> bool`.

Selectors check these before they read; views never check a role themselves.
"""

from __future__ import annotations

from jobunivers.tenancy.permissions import roles_of
from jobunivers.tenancy.roles import STAFF_ROLES


def can_view_worklist(actor, municipality_id: int) -> bool:
    """Staff of the municipality see whose availability deadline has passed (access-logged)."""
    return bool(roles_of(actor, municipality_id) & STAFF_ROLES)
