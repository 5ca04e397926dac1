"""Writes of the audit app: access-log entries, retention purges, consents, erasure.

`access_log_record` is what every app calls when staff or an API client
reads, searches, changes, exports or deletes a citizen's personal data. It
writes in the caller's transaction, so the entry exists exactly when the
action it records does.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.core.errors import ValidationFailed
from jobunivers.tenancy.permissions import access_log_role

from .chain import HASHED_FIELDS, entry_digest, redact_cpr
from .models import (
    AccessLogChainHead,
    AccessLogEntry,
    Action,
    Consent,
    ConsentPurpose,
    ErasureRequest,
    ProfilingObjection,
    Purpose,
)

logger = logging.getLogger(__name__)

ACTIONS = frozenset(a.value for a in Action)
CALLER_PURPOSES = frozenset({Purpose.HELP.value, Purpose.AVAILABILITY.value})
REQUEST_FLAG = "_audit_access_logged"
# How many access-log entries this thread or task has written. `citizen_data_view` compares it
# before and after a view, so an entry written by a selector or service (which never sees the
# request) counts as the view's entry.
_entries_written: ContextVar[int] = ContextVar("audit_access_entries_written", default=0)


def access_entries_written() -> int:
    return _entries_written.get()


def _clean(text: str, limit: int) -> str:
    # CPR numbers never enter the log, even if a caller passes one in a search criterion.
    return redact_cpr(str(text or "")).strip()[:limit]


def _append(*, municipality_id: int, actor_user_id: int | None, actor_kind: str, role: str,
            citizen_id: int | None, action: str, purpose: str, what: str, criterion: str) -> AccessLogEntry:
    with transaction.atomic():
        head = AccessLogChainHead.objects.select_for_update().filter(municipality_id=municipality_id).first()
        if head is None:
            try:
                with transaction.atomic():
                    AccessLogChainHead.objects.create(municipality_id=municipality_id)
            except IntegrityError:
                pass  # another writer created it first; lock it below
            head = AccessLogChainHead.objects.select_for_update().get(municipality_id=municipality_id)
        fields = {
            "municipality_id": municipality_id,
            "sequence": head.last_sequence + 1,
            "created_at": timezone.now(),
            "actor_user_id": actor_user_id,
            "actor_kind": actor_kind,
            "role": role,
            "citizen_id": citizen_id,
            "action": action,
            "purpose": purpose,
            "what": what,
            "criterion": criterion,
        }
        entry_hash = entry_digest(previous_hash=head.last_hash, fields=fields)
        entry = AccessLogEntry.all_tenants.create(previous_hash=head.last_hash, entry_hash=entry_hash, **fields)
        AccessLogChainHead.objects.filter(pk=head.pk).update(last_sequence=entry.sequence, last_hash=entry_hash)
    return entry


@dataclass(frozen=True)
class ApiCaller:
    """An outside system as the access log names it: no user, kind "api", and through which key (`via`).
    Pass it as `actor` to access_log_record (a vendor's server reporting use or learning records)."""

    vendor_id: int
    via: str
    pk: None = None
    access_log_kind: str = "api"


def access_log_record(*, actor, municipality_id: int, citizen_id: int | None, action: str, purpose: str,
                      what: str, criterion: str = "", role: str = "") -> AccessLogEntry:
    """Log one use of personal data. `actor` is the staff user (or an API client with `pk`).

    action: read | search | change | export | delete; purpose: help | availability.
    A search logs its criterion and citizen_id=None (or one entry per citizen shown).
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown access-log action {action!r}; use one of {sorted(ACTIONS)}")
    if purpose not in CALLER_PURPOSES:
        raise ValueError(f"unknown access-log purpose {purpose!r}; use one of {sorted(CALLER_PURPOSES)}")
    if not municipality_id:
        raise ValueError("an access-log entry needs the municipality whose data was used")
    if not what:
        raise ValueError("say what was used (for example 'citizen overview')")
    if citizen_id is None and action != Action.SEARCH:
        raise ValueError("only a search may be logged without a citizen")
    actor_kind = getattr(actor, "access_log_kind", "staff")
    entry = _append(
        municipality_id=int(municipality_id),
        actor_user_id=getattr(actor, "pk", None),
        actor_kind=actor_kind,
        role=str(role or ""),
        citizen_id=citizen_id,
        action=action,
        purpose=purpose,
        what=_clean(what, 300),
        criterion=_clean(criterion, 500),
    )
    _entries_written.set(_entries_written.get() + 1)
    return entry


def access_log_record_many(*, actor, citizens: list[tuple[int, int]], action: str, purpose: str, what: str,
                           criterion: str = "", role: str = "") -> int:
    """access_log_record for each (municipality_id, citizen_id) of one use that touched many citizens (a
    vendor's batch of learning records): the same entries and hash chain as one call each, written with one
    lock of each municipality's chain head and one insert. Returns how many entries were written."""
    if action not in ACTIONS:
        raise ValueError(f"unknown access-log action {action!r}; use one of {sorted(ACTIONS)}")
    if purpose not in CALLER_PURPOSES:
        raise ValueError(f"unknown access-log purpose {purpose!r}; use one of {sorted(CALLER_PURPOSES)}")
    if not what:
        raise ValueError("say what was used (for example 'citizen overview')")
    if any(not municipality_id or citizen_id is None for municipality_id, citizen_id in citizens):
        raise ValueError("every entry needs the municipality and the citizen whose data was used")
    by_municipality: dict[int, list[int]] = {}
    for municipality_id, citizen_id in dict.fromkeys(citizens):
        by_municipality.setdefault(int(municipality_id), []).append(citizen_id)
    common = {"actor_user_id": getattr(actor, "pk", None), "actor_kind": getattr(actor, "access_log_kind", "staff"),
              "role": str(role or ""), "action": action, "purpose": purpose, "what": _clean(what, 300),
              "criterion": _clean(criterion, 500)}
    written = 0
    with transaction.atomic():
        for municipality_id in sorted(by_municipality):  # one order of locks for every writer
            head = AccessLogChainHead.objects.select_for_update().filter(municipality_id=municipality_id).first()
            if head is None:
                try:
                    with transaction.atomic():
                        AccessLogChainHead.objects.create(municipality_id=municipality_id)
                except IntegrityError:
                    pass
                head = AccessLogChainHead.objects.select_for_update().get(municipality_id=municipality_id)
            sequence, previous, now, rows = head.last_sequence, head.last_hash, timezone.now(), []
            for citizen_id in by_municipality[municipality_id]:
                sequence += 1
                fields = {"municipality_id": municipality_id, "sequence": sequence, "created_at": now,
                          "citizen_id": citizen_id, **common}
                entry_hash = entry_digest(previous_hash=previous, fields=fields)
                rows.append(AccessLogEntry(previous_hash=previous, entry_hash=entry_hash, **fields))
                previous = entry_hash
            AccessLogEntry.all_tenants.bulk_create(rows)
            AccessLogChainHead.objects.filter(pk=head.pk).update(last_sequence=sequence, last_hash=previous)
            written += len(rows)
    _entries_written.set(_entries_written.get() + written)
    return written


def citizen_access_record(*, actor, municipality_id: int, citizen_id: int | None, what: str, purpose: str,
                          action: str = "read", criterion: str = "") -> AccessLogEntry:
    """access_log_record for selectors and services: the role is looked up from the actor.

    Call it inside the transaction of the read or write it records (`access_<entity>` selectors
    and the services that change a citizen's data do), so the entry exists exactly when the
    action does. It must be called only after the permission check passed.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("citizen_access_record must run inside the transaction of the access it records")
    return access_log_record(actor=actor, municipality_id=municipality_id, citizen_id=citizen_id, action=action,
                             purpose=purpose, what=what, criterion=criterion,
                             role=access_log_role(actor, municipality_id))


def log_staff_access(request, *, citizen_id: int | None, what: str, action: str = "read", purpose: str = "help",
                     criterion: str = "") -> AccessLogEntry:
    """access_log_record with actor, role and municipality taken from the request."""
    if getattr(request, "municipality_id", None) is None:
        raise ValueError("log_staff_access needs a municipal request (/<municipality>/...)")
    entry = access_log_record(
        actor=request.user,
        municipality_id=request.municipality_id,
        citizen_id=citizen_id,
        action=action,
        purpose=purpose,
        what=what,
        criterion=criterion,
        role=getattr(request, "role", "") or "",
    )
    setattr(request, REQUEST_FLAG, getattr(request, REQUEST_FLAG, 0) + 1)
    return entry


@dataclass(frozen=True)
class PurgeResult:
    municipality_id: int
    purged: int
    through_sequence: int


def access_log_purge(*, municipality_id: int, retention_days: int, now=None) -> PurgeResult:
    """Delete entries older than the retention period and log the purge itself. Idempotent."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days)
    with transaction.atomic():
        head = AccessLogChainHead.objects.select_for_update().filter(municipality_id=municipality_id).first()
        if head is None:
            return PurgeResult(municipality_id, 0, 0)
        old = AccessLogEntry.all_tenants.filter(municipality_id=municipality_id, created_at__lt=cutoff)
        # Only a prefix of the chain may go: stop before the first entry that is still within retention.
        first_kept = (
            AccessLogEntry.all_tenants.filter(municipality_id=municipality_id, created_at__gte=cutoff)
            .order_by("sequence").values_list("sequence", flat=True).first()
        )
        if first_kept is not None:
            old = old.filter(sequence__lt=first_kept)
        last = old.order_by("-sequence").values("sequence", "entry_hash").first()
        if last is None:
            return PurgeResult(municipality_id, 0, head.purged_through_sequence)
        # The queryset refuses delete() on purpose; the retention purge is the one way out.
        count, _per_model = models.QuerySet.delete(old)
        AccessLogChainHead.objects.filter(pk=head.pk).update(
            purged_through_sequence=last["sequence"], purged_through_hash=last["entry_hash"]
        )
    _append(
        municipality_id=municipality_id, actor_user_id=None, actor_kind="system", role="",
        citizen_id=None, action=Action.DELETE, purpose=Purpose.RETENTION,
        what=f"retention purge: {count} entries older than {retention_days} days (through #{last['sequence']})",
        criterion="",
    )
    logger.info("access log purge: municipality=%s purged=%s through=%s", municipality_id, count, last["sequence"])
    return PurgeResult(municipality_id, count, last["sequence"])


@dataclass(frozen=True)
class ChainProblem:
    municipality_id: int
    sequence: int
    reason: str


def access_log_verify(*, municipality_id: int) -> list[ChainProblem]:
    """Recompute the chain of one municipality; an empty list means intact."""
    head = AccessLogChainHead.objects.filter(municipality_id=municipality_id).first()
    if head is None:
        exists = AccessLogEntry.all_tenants.filter(municipality_id=municipality_id).exists()
        return [ChainProblem(municipality_id, 0, "entries without a chain head")] if exists else []
    problems: list[ChainProblem] = []
    previous_hash = head.purged_through_hash
    expected = head.purged_through_sequence + 1
    entries = AccessLogEntry.all_tenants.filter(municipality_id=municipality_id).order_by("sequence")
    for entry in entries.values("previous_hash", "entry_hash", *HASHED_FIELDS).iterator(chunk_size=2000):
        if entry["sequence"] != expected:
            problems.append(ChainProblem(municipality_id, expected, "entry missing"))
            expected = entry["sequence"]
        if entry["previous_hash"] != previous_hash:
            problems.append(ChainProblem(municipality_id, entry["sequence"], "link to the previous entry broken"))
        if entry_digest(previous_hash=entry["previous_hash"], fields=entry) != entry["entry_hash"]:
            problems.append(ChainProblem(municipality_id, entry["sequence"], "entry altered"))
        previous_hash = entry["entry_hash"]
        expected += 1
    if expected - 1 != head.last_sequence:
        problems.append(ChainProblem(municipality_id, head.last_sequence, "last entries missing"))
    elif previous_hash != head.last_hash:
        problems.append(ChainProblem(municipality_id, head.last_sequence, "last entry does not match the head"))
    return problems


def consent_set(*, user, purpose: str, given: bool) -> Consent:
    if purpose not in ConsentPurpose.values:
        raise ValidationFailed({"purpose": [_("Unknown purpose.")]})
    with transaction.atomic():
        consent, _created = Consent.objects.update_or_create(user=user, purpose=purpose, defaults={"given": given})
    return consent


def profiling_objection_set(*, user, objected: bool) -> ProfilingObjection:
    with transaction.atomic():
        objection, _created = ProfilingObjection.objects.update_or_create(user=user, defaults={"objected": objected})
    return objection


# The citizen's data rights ------------------------------------------------------------

EXPORT_SCHEMA_VERSION = "1.0"
PURPOSE_LABELS = {"help": Purpose.HELP.label, "availability": Purpose.AVAILABILITY.label}


def personal_data_export(*, user) -> dict:
    """Everything the registered apps hold about `user`, as documented in docs/identity.md."""
    from .privacy import registrations
    from .registrations import citizen_ids_of
    from .selectors import access_log_for_citizens

    sections = []
    for registration in registrations():
        data = registration.export(user)
        if data in (None, [], {}):
            continue
        sections.append({
            "source": registration.model_label,
            "category": str(registration.category),
            "purpose": registration.purpose,
            "purpose_label": str(PURPOSE_LABELS[registration.purpose]),
            "kept_by_law": str(registration.keep_reason),
            "records": data if isinstance(data, list) else [data],
        })
    lookups = [
        {"when": entry.created_at.isoformat(), "action": entry.action, "purpose": entry.purpose,
         "role": entry.role, "what": entry.what}
        for entry in access_log_for_citizens(citizen_ids=citizen_ids_of(user))
    ]
    return {
        "schema": "https://jobunivers.dk/schemas/mine-data/" + EXPORT_SCHEMA_VERSION,
        "schema_version": EXPORT_SCHEMA_VERSION,
        "exported_at": timezone.now().isoformat(),
        "sections": sections,
        "staff_lookups": lookups,
    }


def personal_data_erase(*, user) -> ErasureRequest:
    """Run every registered eraser in one transaction; all or nothing. Returns the receipt.

    What an app keeps by law (erase=None, or a keep_reason next to an eraser) is listed in the receipt.
    """
    from .privacy import registrations

    erased: list[dict] = []
    kept: list[dict] = []
    user_id = user.pk
    try:
        with transaction.atomic():
            for registration in registrations():
                if registration.erase is not None:
                    registration.erase(user)
                    erased.append({"source": registration.model_label, "category": str(registration.category)})
                if str(registration.keep_reason).strip():
                    kept.append({"source": registration.model_label, "category": str(registration.category),
                                 "reason": str(registration.keep_reason)})
            receipt = ErasureRequest.objects.create(
                user_id_at_request=user_id, status=ErasureRequest.Status.DONE, erased=erased, kept=kept
            )
    except Exception as error:
        # Nothing was erased (the transaction rolled back); keep a receipt without personal data.
        logger.error("erasure failed for user %s: %s", user_id, type(error).__name__)
        ErasureRequest.objects.create(user_id_at_request=user_id, status=ErasureRequest.Status.FAILED)
        raise ValidationFailed(_("We could not erase your data. Nothing was changed. Please try again later "
                                 "or contact your job centre.")) from error
    logger.info("erasure done for user %s: %s erased, %s kept", user_id, len(erased), len(kept))
    return receipt
