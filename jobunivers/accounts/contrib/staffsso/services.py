"""Writes for staff single sign-on: accounts and memberships just in time from the claims,
the municipality's IdP configuration and role mappings, and the break-glass record."""

from __future__ import annotations

import hashlib
import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from jobunivers.accounts.models import (
    BreakGlassSignIn,
    StaffIdentity,
    StaffIdentityProvider,
    StaffRoleMapping,
)
from jobunivers.tenancy.roles import MAPPABLE_STAFF_ROLES
from jobunivers.tenancy.selectors import memberships_of
from jobunivers.tenancy.services import membership_grant, membership_revoke

from .claims import ClaimsRefused, StaffClaims
from .selectors import get_municipality_for, roles_for_claims

logger = logging.getLogger("jobunivers.accounts.staffsso")


def subject_hash(*, provider: str, subject: str) -> str:
    return hashlib.sha256(f"{provider}\n{subject}".encode()).hexdigest()


@transaction.atomic
def staff_sso_sign_in(*, claims: StaffClaims):
    """The user these claims belong to, with exactly the municipal roles the mapping gives them.

    A first sign-in creates the account; every sign-in sets the roles anew: roles no longer
    claimed are withdrawn. Claims that give no role are refused (after withdrawing the roles)."""
    municipality_id = claims.municipality_id
    granted = roles_for_claims(municipality_id=municipality_id, claimed=claims.roles)
    key = subject_hash(provider=claims.provider, subject=claims.subject)
    identity = (StaffIdentity.all_tenants.select_for_update().select_related("user")
                .filter(municipality_id=municipality_id, subject_hash=key).first())
    if identity is None and not granted:
        raise ClaimsRefused("roles", "no role claim that the municipality maps to a role")
    User = get_user_model()
    if identity is None:
        user = User.objects.create(username=f"sso-{municipality_id}-{key[:20]}", first_name=claims.first_name[:150],
                                   last_name=claims.last_name[:150], email=claims.email[:254])
        user.set_unusable_password()
        user.save(update_fields=["password"])
        identity = StaffIdentity.all_tenants.create(municipality_id=municipality_id, user=user,
                                                    provider=claims.provider, subject_hash=key)
    user = identity.user
    withdrawn = membership_revoke(user=user, municipality_id=municipality_id,
                                  roles=MAPPABLE_STAFF_ROLES - granted)
    municipality = get_municipality_for(municipality_id)
    for role in sorted(granted):
        membership_grant(user=user, role=role, municipality=municipality)
    identity.claimed_roles = sorted(claims.roles)
    identity.constraints = claims.constraints
    identity.last_sign_in_at = timezone.now()
    identity.save(update_fields=["claimed_roles", "constraints", "last_sign_in_at", "updated_at"])
    changed = [f for f, v in (("first_name", claims.first_name), ("last_name", claims.last_name),
                              ("email", claims.email)) if v and getattr(user, f) != v]
    for name in changed:
        setattr(user, name, getattr(claims, name))
    if changed:
        user.save(update_fields=changed)
    if withdrawn:
        logger.info("staff sign-in withdrew roles: user_id=%s municipality_id=%s count=%s",
                    user.pk, municipality_id, withdrawn)
    if not granted:
        # Withdrawn and committed: the refusal must not roll the withdrawal back.
        return None
    return user


def staff_sso_configure(*, municipality_id: int, data: dict, mappings: list[tuple[str, str]]) -> StaffIdentityProvider:
    """Save the municipality's staff IdP and replace its role mappings, together or not at all.

    `data` and `mappings` are validated by the form (views); the caller is the municipality's administrator."""
    with transaction.atomic():
        idp, _created = StaffIdentityProvider.objects.get_or_create(
            municipality_id=municipality_id, defaults={"kind": data["kind"]})
        secret = data.pop("oidc_client_secret", "")
        for name, value in data.items():
            setattr(idp, name, value)
        if secret:
            idp.oidc_client_secret = secret
        idp.save()
        StaffRoleMapping.objects.filter(municipality_id=municipality_id).delete()
        StaffRoleMapping.objects.bulk_create([
            StaffRoleMapping(municipality_id=municipality_id, claim_value=value, role=role)
            for value, role in dict.fromkeys(mappings)
        ])
    return idp


def break_glass_record(*, user) -> int:
    """Record a break-glass account's password-and-TOTP sign-in in each municipality where it is staff."""
    if not getattr(user, "is_break_glass", False):
        return 0
    municipality_ids = {m.municipality_id for m in memberships_of(user)
                        if m.municipality_id is not None and m.role in MAPPABLE_STAFF_ROLES}
    for municipality_id in sorted(municipality_ids):
        BreakGlassSignIn.all_tenants.create(municipality_id=municipality_id, user=user)
    logger.warning("break-glass sign-in: user_id=%s municipalities=%s", user.pk, sorted(municipality_ids))
    return len(municipality_ids)
