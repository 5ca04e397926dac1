"""Who may do what in the citizen's space. Used by views, services and (later) the API alike."""

from __future__ import annotations

from jobunivers.tenancy.models import Membership
from jobunivers.tenancy.roles import STAFF_ROLES, Role


def is_owner(actor, citizen) -> bool:
    return actor is not None and getattr(actor, "pk", None) is not None and citizen.user_id == actor.pk


def is_staff_of(actor, municipality_id: int) -> bool:
    """Job centre staff (assistant, adviser, consultant) of this municipality."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        user=actor, municipality_id=municipality_id, role__in=list(STAFF_ROLES), is_active=True
    ).exists()


def is_admin_of(actor, municipality_id: int) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        user=actor, municipality_id=municipality_id, role=Role.MUNICIPALITY_ADMIN, is_active=True
    ).exists()


def can_view_citizen_space(actor, citizen) -> bool:
    """The citizen, and staff of the citizen's municipality, may read plan, job log, profile and CV."""
    return is_owner(actor, citizen) or is_staff_of(actor, citizen.municipality_id)


def can_edit_plan_item(actor, plan_item) -> bool:
    """Staff may edit any plan item of their municipality; the citizen may edit their own items.

    On an item agreed with the job centre the citizen may only change the status (see
    `plan_item_update`), so the agreement itself stays what was agreed.
    """
    return is_owner(actor, plan_item.citizen) or is_staff_of(actor, plan_item.municipality_id)


def can_manage_municipal_content(actor, municipality_id: int) -> bool:
    return is_admin_of(actor, municipality_id)
