"""Writes of the accounts app: citizens signing in with a national eID, staff second factors."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from cryptography.fernet import InvalidToken
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jobunivers.core.errors import NotFound
from jobunivers.core.events import publish_on_commit
from jobunivers.tenancy.models import Membership, Municipality
from jobunivers.tenancy.roles import Role
from jobunivers.tenancy.services import membership_grant

from .cpr import cpr_hash, encrypt_cpr, normalise_cpr, readable_with_newest_key, rotate_token
from .events import CitizenSignedIn
from .models import CitizenIdentity, StaffUnlock, User
from .permissions import can_unlock_staff_membership

logger = logging.getLogger(__name__)


def citizen_sign_in(*, provider: str, cpr: str, municipality_id: int, assurance_level: str,
                    first_name: str = "", last_name: str = "") -> User:
    """Find the citizen by the keyed hash of their CPR number, or create them, in this municipality.

    The caller has validated the assertion. The CPR number is stored only encrypted and hashed.
    """
    normalised = normalise_cpr(cpr)
    if normalised is None:
        raise ValueError("not a CPR number")  # message without the value, on purpose
    municipality = Municipality.objects.get(pk=municipality_id)
    with transaction.atomic():
        identity = (
            CitizenIdentity.objects.select_for_update().select_related("user")
            .filter(cpr_hash=cpr_hash(normalised)).first()
        )
        created = identity is None
        if identity is None:
            user = User.objects.create(
                username=f"citizen-{uuid.uuid4().hex[:20]}", first_name=first_name[:150], last_name=last_name[:150],
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            identity = CitizenIdentity.objects.create(
                user=user, provider=provider, cpr_hash=cpr_hash(normalised), cpr_encrypted=encrypt_cpr(normalised),
                assurance_level=assurance_level, last_verified_at=timezone.now(),
            )
        else:
            user = identity.user
            if not user.is_active:
                # An erased account stays closed; a new sign-in starts afresh under a new account.
                identity.delete()
                return citizen_sign_in(provider=provider, cpr=cpr, municipality_id=municipality_id,
                                       assurance_level=assurance_level, first_name=first_name, last_name=last_name)
            CitizenIdentity.objects.filter(pk=identity.pk).update(
                provider=provider, assurance_level=assurance_level, last_verified_at=timezone.now()
            )
            if first_name and last_name and (user.first_name, user.last_name) != (first_name, last_name):
                User.objects.filter(pk=user.pk).update(first_name=first_name[:150], last_name=last_name[:150])
        membership_grant(user=user, role=Role.CITIZEN, municipality=municipality)
        publish_on_commit(CitizenSignedIn(user_id=user.pk, municipality_id=municipality.pk, created=created))
    logger.info("citizen signed in: user=%s municipality=%s provider=%s new=%s", user.pk, municipality.pk,
                provider, created)
    return user


def staff_lockout_release(*, actor, municipality_id: int, membership_id: int) -> StaffUnlock:
    """Lift the sign-in lock-out of one staff member (from every address) and record who did it.

    The actor must administer the municipality the staff member works in; anything else, and a
    membership that does not exist, is the same NotFound.
    """
    from axes.handlers.proxy import AxesProxyHandler
    from axes.models import AccessAttempt

    membership = Membership.objects.select_related("user").filter(
        pk=membership_id, municipality_id=municipality_id).first()
    if membership is None or not can_unlock_staff_membership(actor, membership):
        raise NotFound
    username = membership.user.get_username()
    with transaction.atomic():
        cleared = sum(AccessAttempt.objects.filter(username=username).values_list("failures_since_start", flat=True))
        AxesProxyHandler.reset_attempts(username=username)
        unlock = StaffUnlock.objects.create(
            municipality_id=municipality_id, actor_user_id=actor.pk, staff_user_id=membership.user_id,
            attempts_cleared=cleared,
        )
    logger.info("staff sign-in lock-out lifted: municipality %s, staff user %s, by user %s",
                municipality_id, membership.user_id, actor.pk)
    return unlock


# --- Retention (accounts.tasks.purge_sign_in_records) ---------------------------------------------

SAML_REQUEST_RETENTION_DAYS = 1  # an unanswered sign-in request is useless after minutes
SAML_SESSION_RETENTION_DAYS = 2  # a session lasts a working day (SESSION_COOKIE_AGE); then logout has nothing to end


def sign_in_records_purge(*, now=None) -> dict[str, int]:
    """Delete what single sign-on keeps only for a while: sign-in requests (answered or not) after a
    day, accepted assertion ids once they have expired, and the IdP-session links of sessions that
    cannot still be alive. National tables; nothing here is needed after those periods."""
    from jobunivers.core.services import cutoff, delete_in_chunks

    from .models import SamlRequest, SamlSession, SeenAssertion

    now = now or timezone.now()
    return {
        "requests": delete_in_chunks(SamlRequest.objects.filter(created_at__lt=cutoff(SAML_REQUEST_RETENTION_DAYS, now))),
        "assertions": delete_in_chunks(SeenAssertion.objects.filter(not_on_or_after__lt=now)),
        "sessions": delete_in_chunks(SamlSession.objects.filter(created_at__lt=cutoff(SAML_SESSION_RETENTION_DAYS, now))),
    }


def staff_unlocks_purge(*, municipality_id: int, retention_days: int, now=None) -> int:
    """Delete records of lifted lock-outs older than the municipality's access-log period (they are
    audit records of the same kind: who did what to whose account, ids only)."""
    from jobunivers.core.services import cutoff, delete_in_chunks

    return delete_in_chunks(StaffUnlock.objects.filter(municipality_id=municipality_id,
                                                       created_at__lt=cutoff(retention_days, now)))


def break_glass_sign_ins_purge(*, municipality_id: int, retention_days: int, now=None) -> int:
    """Delete records of break-glass sign-ins older than the municipality's access-log period: a
    security record of who used the emergency way in, kept as long as the access log and no longer."""
    from jobunivers.core.services import cutoff, delete_in_chunks

    from .models import BreakGlassSignIn

    return delete_in_chunks(BreakGlassSignIn.all_tenants.filter(municipality_id=municipality_id,
                                                                created_at__lt=cutoff(retention_days, now)))


def staff_identities_purge(*, municipality_id: int, retention_days: int, now=None) -> int:
    """Delete the IdP links (hashed subject, roles at the last sign-in) of people who are no longer
    staff of the municipality (no active membership there) and have not signed in there for the
    access-log period. Active staff keep theirs, however long ago they signed in: the link is how
    their next sign-in finds their account."""
    from jobunivers.core.services import cutoff, delete_in_chunks
    from jobunivers.tenancy.selectors import active_member_user_ids

    from .models import StaffIdentity

    before = cutoff(retention_days, now)
    stale = (StaffIdentity.all_tenants.filter(municipality_id=municipality_id)
             .exclude(user_id__in=active_member_user_ids(municipality_id=municipality_id))
             .filter(Q(last_sign_in_at__lt=before) | Q(last_sign_in_at__isnull=True, created_at__lt=before)))
    return delete_in_chunks(stale)


@dataclass(frozen=True)
class CprRotationResult:
    checked: int
    reencrypted: int
    unreadable: int  # no configured key opens these: the old key is missing from CPR_ENCRYPTION_KEY


def cpr_keys_rotate(*, batch_size: int = 500) -> CprRotationResult:
    """Re-encrypt every stored CPR number that the newest CPR_ENCRYPTION_KEY cannot open yet.

    Run after putting the new key first in CPR_ENCRYPTION_KEY (old keys after it) and restarting every
    process; afterwards the old keys can be removed. Idempotent: a second run re-encrypts nothing.
    The hash key is not touched (look-ups depend on it and it never changes). Batches are locked and
    written in one transaction each, so a sign-in during the rotation is never lost.
    """
    checked = reencrypted = unreadable = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(CitizenIdentity.objects.select_for_update().filter(pk__gt=last_pk)
                         .order_by("pk")[:batch_size])
            if not batch:
                break
            changed = []
            for identity in batch:
                checked += 1
                if readable_with_newest_key(identity.cpr_encrypted):
                    continue
                try:
                    identity.cpr_encrypted = rotate_token(identity.cpr_encrypted)
                except InvalidToken:
                    unreadable += 1
                    continue
                changed.append(identity)
            CitizenIdentity.objects.bulk_update(changed, ["cpr_encrypted"])
            reencrypted += len(changed)
            last_pk = batch[-1].pk
    if reencrypted or unreadable:
        logger.info("CPR keys rotated: %s re-encrypted, %s unreadable, %s checked", reencrypted, unreadable, checked)
    return CprRotationResult(checked=checked, reencrypted=reencrypted, unreadable=unreadable)
