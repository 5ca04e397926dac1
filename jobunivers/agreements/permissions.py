"""Who may do what with agreements and statements. The municipality administrator manages agreements
and rates and generates, approves and marks statements paid; a vendor sees and accepts or disputes only
its own statements and agreements."""

from __future__ import annotations

from jobunivers.tenancy.permissions import roles_of
from jobunivers.tenancy.roles import Role


def _authenticated(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def can_manage_agreements(actor, municipality_id: int) -> bool:
    return _authenticated(actor) and Role.MUNICIPALITY_ADMIN in roles_of(actor, municipality_id)


def can_manage_statements(actor, municipality_id: int) -> bool:
    return can_manage_agreements(actor, municipality_id)


def can_act_for_vendor(actor, vendor_id: int, vendor_ids: list[int]) -> bool:
    """`vendor_ids`: the vendors the actor acts for (sources.vendor_ids_of)."""
    return _authenticated(actor) and vendor_id in vendor_ids
