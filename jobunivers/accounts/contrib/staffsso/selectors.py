"""Reads for staff single sign-on."""

from __future__ import annotations

from jobunivers.accounts.models import BreakGlassSignIn, StaffIdentityProvider, StaffRoleMapping
from jobunivers.tenancy.roles import MAPPABLE_STAFF_ROLES
from jobunivers.tenancy.selectors import get_municipality, memberships_of, staff_of


def get_municipality_for(municipality_id: int):
    return get_municipality(municipality_id=municipality_id)


def staff_idp_for(municipality_id: int | None) -> StaffIdentityProvider | None:
    if municipality_id is None:
        return None
    return StaffIdentityProvider.objects.filter(municipality_id=municipality_id).first()


def enabled_staff_idp(municipality_id: int | None) -> StaffIdentityProvider | None:
    idp = staff_idp_for(municipality_id)
    return idp if idp is not None and idp.is_enabled else None


def role_mappings(*, municipality_id: int) -> list[StaffRoleMapping]:
    return list(StaffRoleMapping.objects.filter(municipality_id=municipality_id))


def roles_for_claims(*, municipality_id: int, claimed) -> frozenset[str]:
    claimed = set(claimed)
    return frozenset(m.role for m in role_mappings(municipality_id=municipality_id)
                     if m.claim_value in claimed and m.role in MAPPABLE_STAFF_ROLES)


def local_sign_in_allowed(user) -> bool:
    """Password and TOTP: refused for staff of a municipality that signs staff in through its own
    identity provider, unless the account is a break-glass account."""
    if getattr(user, "is_break_glass", False):
        return True
    municipality_ids = {m.municipality_id for m in memberships_of(user)
                        if m.municipality_id is not None and m.role in MAPPABLE_STAFF_ROLES}
    return not StaffIdentityProvider.objects.filter(municipality_id__in=municipality_ids, is_enabled=True).exists()


def break_glass_accounts(*, municipality_id: int) -> list:
    """The municipality's staff who may still sign in with password and TOTP."""
    memberships = staff_of(municipality_id=municipality_id, roles=MAPPABLE_STAFF_ROLES).filter(
        user__is_break_glass=True).order_by("user__last_name", "user__first_name", "role")
    return list(memberships)


def break_glass_sign_ins(*, municipality_id: int, limit: int = 50) -> list[BreakGlassSignIn]:
    return list(BreakGlassSignIn.all_tenants.filter(municipality_id=municipality_id)
                .select_related("user")[:limit])
