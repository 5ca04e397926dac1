"""Progress a vendor's server reports back (ADR 0084, "The vendor callback"): the vendor's reporting keys,
the check of a signed request, and `record_reported_use`, the one service that writes `session`, `hour`
and `completed` events. The learning records of issue 18 call the same service.

A key is never stored: its secret is HMAC-SHA256 over (vendor, key id, salt) with a key derived from
SECRET_KEY, computed again to check a signature and shown to the vendor once. A request carries the key id,
a Unix timestamp and `sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>`; a timestamp more than
five minutes old (or a minute ahead) is refused, so a captured request cannot be sent again later, and
within those minutes the vendor's own event id makes a second delivery a no-op.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobunivers.audit.services import ApiCaller, access_log_record
from jobunivers.citizens import services as citizen_services
from jobunivers.core.errors import ValidationFailed
from jobunivers.core.events import publish_on_commit
from jobunivers.core.logging import CPR_PATTERN

from . import permissions
from .contracts import UseRecorded, month_settled
from .models import CallbackKey, Enrolment, EnrolmentStatus, Offer, ProviderKind, UseEvent, UseKind, Vendor
from .selectors import offer_title

logger = logging.getLogger(__name__)

KEY_SALT = "jobunivers.marketplace.callback-key"
SIGNATURE_WINDOW_SECONDS = 300  # a request signed longer ago than this is refused
CLOCK_SKEW_SECONDS = 60  # how far ahead of ours a vendor's clock may be
ROTATION_GRACE = datetime.timedelta(hours=24)  # a rotated key keeps working this long
MAX_WORKING_KEYS = 2
MAX_BODY_BYTES = 4096
REPORTED_KINDS = (UseKind.SESSION, UseKind.HOUR, UseKind.COMPLETED)
SESSIONS_MAX = 20
HOURS_MAX = Decimal("24")
EVENT_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
SUBJECT_RE = re.compile(r"^[0-9a-f]{32}$")
KEY_ID_RE = re.compile(r"^jk_[0-9a-f]{16}$")
TIMESTAMP_RE = re.compile(r"^[0-9]{1,12}$")
FIELDS = ("event_id", "subject", "offer", "kind", "quantity", "occurred_at")

# Stable error codes: (HTTP status, the message in English; Danish in locale/da).
ERRORS: dict[str, tuple[int, Any]] = {
    "key_missing": (401, gettext_lazy("Give the key id, the timestamp and the signature in the request headers.")),
    "key_invalid": (401, gettext_lazy("The key is unknown, revoked or expired.")),
    "timestamp_invalid": (401, gettext_lazy("The timestamp must be whole seconds since 1970 (Unix time).")),
    "timestamp_expired": (401, gettext_lazy("The request was signed more than five minutes ago; sign it again.")),
    "timestamp_in_future": (401, gettext_lazy("The timestamp is ahead of our clock; check your server's clock.")),
    "signature_invalid": (401, gettext_lazy("The signature does not match the key and the body.")),
    "body_too_large": (413, gettext_lazy("The body may be at most 4 KB.")),
    "json_invalid": (400, gettext_lazy("The body must be one JSON object in UTF-8.")),
    "event_invalid": (422, gettext_lazy("The event is not valid; see the fields.")),
    "offer_unknown": (404, gettext_lazy("You have no offer with this id.")),
    "subject_unknown": (404, gettext_lazy("No citizen with this pseudonym is enrolled in the offer.")),
    "enrolment_ended": (409, gettext_lazy("The citizen's enrolment in the offer has ended.")),
    "before_enrolment": (422, gettext_lazy("The event happened before the citizen enrolled.")),
    "event_id_reused": (409, gettext_lazy("This event id was already used for another event.")),
    "month_settled": (409, gettext_lazy("You have already accepted the statement for the month of this event, so it "
                                        "can no longer be billed. Ask the municipality to correct it.")),
}


class ReportRefused(Exception):
    """A refused report: a stable `code`, the HTTP status, and per-field messages (lazy, translated late)."""

    def __init__(self, code: str, fields: dict[str, list[Any]] | None = None):
        super().__init__(code)
        self.code = code
        self.status = ERRORS[code][0]
        self.fields = fields or {}

    def as_json(self) -> dict[str, Any]:
        """The answer in Danish (`detail`, `errors`) and English (`detail_en`, `errors_en`)."""
        answer: dict[str, Any] = {"code": self.code}
        for language, suffix in (("da", ""), ("en", "_en")):
            with translation.override(language):
                answer[f"detail{suffix}"] = str(ERRORS[self.code][1])
                answer[f"errors{suffix}"] = {field: [str(m) for m in messages] for field, messages in self.fields.items()}
        return answer


# --- Keys ------------------------------------------------------------------------------------------

def key_secret(key: CallbackKey, *, secret_key: str | None = None) -> str:
    """The key's secret (64 hex digits), derived again from the server's secret; never stored."""
    return salted_hmac(KEY_SALT, f"{key.vendor_id}:{key.key_id}:{key.salt}", secret=secret_key or settings.SECRET_KEY,
                       algorithm="sha256").hexdigest()


def is_working(key: CallbackKey, now: datetime.datetime) -> bool:
    return key.revoked_at is None and (key.expires_at is None or key.expires_at > now)


def _new_key_id() -> str:
    """A fresh key id. Ten digits in a row would read as a CPR number to the log and access-log redaction,
    which would then hide the id from the vendor's own audit trail, so such an id is drawn again."""
    while True:
        key_id = f"jk_{secrets.token_hex(8)}"
        if not CPR_PATTERN.search(key_id):
            return key_id


def _working_keys(vendor_id: int, now: datetime.datetime):
    return [k for k in CallbackKey.objects.filter(vendor_id=vendor_id, revoked_at__isnull=True) if is_working(k, now)]


def _acting_vendor(actor) -> int:
    vendor_id = permissions.vendor_id_of(actor)
    if vendor_id is None:
        raise ValidationFailed(_("Only a vendor manages its reporting keys."))
    return vendor_id


def launch_key_renew(*, actor, now: datetime.datetime | None = None) -> str:
    """A new key for the vendor's signed launches, returned to be shown once (it is never stored: only its
    salt is). The old key stops at once: launches are signed with the new one from now on."""
    from .launch import launch_secret, new_secret

    vendor_id = _acting_vendor(actor)
    with transaction.atomic():
        vendor = Vendor.objects.select_for_update().get(pk=vendor_id)
        vendor.launch_salt = new_secret()
        vendor.launch_key_made_at = now or timezone.now()
        vendor.save(update_fields=["launch_salt", "launch_key_made_at", "updated_at"])
    return launch_secret(vendor)


def launch_key_made_at(*, actor) -> datetime.datetime | None:
    """When the vendor the actor acts for last made its launch key (None: never, since it was registered)."""
    return Vendor.objects.filter(pk=_acting_vendor(actor)).values_list("launch_key_made_at", flat=True).first()


def callback_key_create(*, actor, now: datetime.datetime | None = None) -> tuple[CallbackKey, str]:
    """A new reporting key for the vendor the actor acts for, and its secret (to be shown once)."""
    vendor_id = _acting_vendor(actor)
    now = now or timezone.now()
    with transaction.atomic():
        Vendor.objects.select_for_update().filter(pk=vendor_id).first()
        if len(_working_keys(vendor_id, now)) >= MAX_WORKING_KEYS:
            raise ValidationFailed(_("You already have two working keys. Revoke one before you make another."))
        key = CallbackKey.objects.create(vendor_id=vendor_id, key_id=_new_key_id(),
                                         salt=secrets.token_hex(32), created_by=actor)
    return key, key_secret(key)


def _own_key(actor, key_pk: int) -> CallbackKey:
    vendor_id = _acting_vendor(actor)
    key = CallbackKey.objects.select_for_update().filter(pk=key_pk, vendor_id=vendor_id).first()
    if key is None:
        raise ValidationFailed(_("The key was not found."))
    return key


def callback_key_rotate(*, actor, key_pk: int, now: datetime.datetime | None = None) -> tuple[CallbackKey, str]:
    """A new key; the old one keeps working for ROTATION_GRACE so the vendor can switch without a gap."""
    now = now or timezone.now()
    with transaction.atomic():
        old = _own_key(actor, key_pk)
        if not is_working(old, now):
            raise ValidationFailed(_("The key no longer works; make a new key instead."))
        Vendor.objects.select_for_update().filter(pk=old.vendor_id).first()
        if old.expires_at is None or old.expires_at > now + ROTATION_GRACE:
            old.expires_at = now + ROTATION_GRACE
            old.save(update_fields=["expires_at", "updated_at"])
        new = CallbackKey.objects.create(vendor_id=old.vendor_id, key_id=_new_key_id(),
                                         salt=secrets.token_hex(32), created_by=actor)
    return new, key_secret(new)


def callback_key_revoke(*, actor, key_pk: int, now: datetime.datetime | None = None) -> CallbackKey:
    with transaction.atomic():
        key = _own_key(actor, key_pk)
        if key.revoked_at is not None:
            raise ValidationFailed(_("The key is already revoked."))
        key.revoked_at, key.revoked_by = now or timezone.now(), actor
        key.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    return key


# --- Signed requests -------------------------------------------------------------------------------

def sign_report(*, secret: str, timestamp: int | str, body: bytes) -> str:
    """The signature header a vendor sends (the reference implementation of the scheme)."""
    digest = hmac.new(secret.encode("ascii"), f"{timestamp}.".encode("ascii") + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def authenticate(*, key_id: str | None, timestamp: str | None, signature: str | None, body: bytes,
                 now: datetime.datetime | None = None) -> CallbackKey:
    """The working key a request is signed with, or ReportRefused (401)."""
    if not key_id or not timestamp or not signature:
        raise ReportRefused("key_missing")
    now = now or timezone.now()
    key = None
    if KEY_ID_RE.match(key_id):
        key = CallbackKey.objects.select_related("vendor").filter(key_id=key_id).first()
    if key is None or not is_working(key, now) or not key.vendor.is_active:
        raise ReportRefused("key_invalid")
    if not TIMESTAMP_RE.match(timestamp):
        raise ReportRefused("timestamp_invalid")
    age = int(now.timestamp()) - int(timestamp)
    if age > SIGNATURE_WINDOW_SECONDS:
        raise ReportRefused("timestamp_expired")
    if age < -CLOCK_SKEW_SECONDS:
        raise ReportRefused("timestamp_in_future")
    candidates = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(hmac.compare_digest(sign_report(secret=key_secret(key, secret_key=secret_key), timestamp=timestamp,
                                               body=body), signature) for secret_key in candidates):
        raise ReportRefused("signature_invalid")
    return key


# --- Reports ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReportedUse:
    """One reported event: the reporter's own id for it, the citizen's pseudonym towards the vendor, the
    offer, the kind (session, hour, completed), how many (sessions or hours) and when it happened."""

    event_id: str
    subject: str
    offer_id: int
    kind: str
    quantity: Decimal
    occurred_at: datetime.datetime


@dataclass(frozen=True)
class Recorded:
    event: UseEvent
    duplicate: bool
    enrolment_status: str


def parse_report(body: bytes) -> ReportedUse:
    """A JSON body as a ReportedUse: types and presence only; `record_reported_use` checks the rest."""
    if len(body) > MAX_BODY_BYTES:
        raise ReportRefused("body_too_large")
    try:
        data = json.loads(body.decode("utf-8"), parse_float=Decimal, parse_constant=lambda _c: None)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ReportRefused("json_invalid") from None
    if not isinstance(data, dict):
        raise ReportRefused("json_invalid")
    errors: dict[str, list[Any]] = {}
    for field in sorted(set(data) - set(FIELDS)):
        errors[str(field)[:40]] = [gettext_lazy("This field is not part of an event.")]
    for field in FIELDS:
        if field not in data and not (field == "quantity" and data.get("kind") == UseKind.COMPLETED):
            errors[field] = [gettext_lazy("This field is required.")]
    texts = {field: data.get(field) for field in ("event_id", "subject", "kind", "occurred_at")}
    for field, value in texts.items():
        if field in data and not isinstance(value, str):
            errors[field] = [gettext_lazy("Give a text.")]
    offer = data.get("offer")
    if "offer" in data and (isinstance(offer, bool) or not isinstance(offer, int) or not 1 <= offer < 2**63):
        errors["offer"] = [gettext_lazy("Give the offer's id as a whole number.")]
    quantity = data.get("quantity", 1)
    if isinstance(quantity, bool) or not isinstance(quantity, int | Decimal) or (
            isinstance(quantity, Decimal) and not quantity.is_finite()):
        errors.setdefault("quantity", [gettext_lazy("Give a number.")])
    occurred_at = None
    if isinstance(texts["occurred_at"], str):
        try:
            occurred_at = datetime.datetime.fromisoformat(texts["occurred_at"])
        except ValueError:
            occurred_at = None
        if occurred_at is None or occurred_at.tzinfo is None or len(texts["occurred_at"]) > 40:
            errors["occurred_at"] = [gettext_lazy("Give the time as ISO 8601 with a time zone, e.g. "
                                                  "2026-12-05T10:30:00+01:00.")]
    if errors:
        raise ReportRefused("event_invalid", errors)
    assert occurred_at is not None
    return ReportedUse(event_id=str(texts["event_id"]), subject=str(texts["subject"]), offer_id=int(offer or 0),
                       kind=str(texts["kind"]), quantity=Decimal(quantity), occurred_at=occurred_at)


def _check_values(report: ReportedUse, now: datetime.datetime) -> None:
    errors: dict[str, list[Any]] = {}
    if not EVENT_ID_RE.match(report.event_id):
        errors["event_id"] = [gettext_lazy("Give an id of 1 to 64 letters, digits and . _ : - (starting with a "
                                           "letter or digit).")]
    if not SUBJECT_RE.match(report.subject):
        errors["subject"] = [gettext_lazy("Give the pseudonym from the signed launch (32 hex digits).")]
    if report.kind not in REPORTED_KINDS:
        errors["kind"] = [gettext_lazy("Choose one of: session, hour, completed.")]
    quantity = report.quantity
    if report.kind == UseKind.SESSION and not (quantity == quantity.to_integral_value() and 1 <= quantity <= SESSIONS_MAX):
        errors["quantity"] = [gettext_lazy("Give a whole number of sessions from 1 to 20.")]
    elif report.kind == UseKind.HOUR and not (Decimal("0.01") <= quantity <= HOURS_MAX
                                              and quantity == quantity.quantize(Decimal("0.01"))):
        errors["quantity"] = [gettext_lazy("Give the hours from 0.01 to 24 with at most two decimals.")]
    elif report.kind == UseKind.COMPLETED and quantity != 1:
        errors["quantity"] = [gettext_lazy("A completion counts once: leave out the quantity or give 1.")]
    if report.occurred_at > now + datetime.timedelta(seconds=CLOCK_SKEW_SECONDS):
        errors["occurred_at"] = [gettext_lazy("The time is in the future.")]
    if errors:
        raise ReportRefused("event_invalid", errors)


def _quantity(report: ReportedUse) -> Decimal:
    return report.quantity.quantize(Decimal("0.01"))


def _same(event: UseEvent, report: ReportedUse) -> bool:
    return (event.offer_id == report.offer_id and event.subject == report.subject and event.kind == report.kind
            and event.quantity == _quantity(report) and event.occurred_at == report.occurred_at)


def _duplicate(vendor_id: int, report: ReportedUse) -> Recorded | None:
    event = UseEvent.all_tenants.filter(vendor_id=vendor_id, dedupe_key=report.event_id).first()
    if event is None:
        return None
    if not _same(event, report):
        raise ReportRefused("event_id_reused")
    status = None
    if event.enrolment_id is not None:
        status = Enrolment.all_tenants.filter(pk=event.enrolment_id).values_list("status", flat=True).first()
    if status is None:  # the citizen was erased since; the event says how far it got
        status = EnrolmentStatus.COMPLETED if report.kind == UseKind.COMPLETED else EnrolmentStatus.ENROLLED
    return Recorded(event=event, duplicate=True, enrolment_status=str(status))


def _enrolment(vendor_id: int, report: ReportedUse) -> Enrolment:
    """The citizen's enrolment the report is about, locked; refused when there is none or it has ended."""
    if not Offer.objects.filter(pk=report.offer_id, vendor_id=vendor_id, provider_kind=ProviderKind.VENDOR).exists():
        raise ReportRefused("offer_unknown")
    enrolment_ids = list(UseEvent.all_tenants.filter(
        offer_id=report.offer_id, vendor_id=vendor_id, subject=report.subject, kind=UseKind.ENROLLED,
        enrolment__isnull=False).values_list("enrolment_id", flat=True))
    if not enrolment_ids:
        raise ReportRefused("subject_unknown")
    enrolment = (Enrolment.all_tenants.select_for_update().filter(pk__in=enrolment_ids, status=EnrolmentStatus.ENROLLED)
                 .first())
    if enrolment is None:
        raise ReportRefused("enrolment_ended")
    return enrolment


def _complete(enrolment: Enrolment, when: datetime.datetime) -> None:
    enrolment.status, enrolment.completed_at = EnrolmentStatus.COMPLETED, when
    enrolment.save(update_fields=["status", "completed_at", "updated_at"])
    item = enrolment.plan_item
    if item is None or item.status not in ("planned", "in_progress"):
        return  # the citizen or the job centre closed the activity already
    try:
        with transaction.atomic():
            citizen_services.plan_item_update(actor=None, plan_item=item, expected_version=item.version,
                                              changed_by_kind="system", status="done")
    except ValidationFailed:
        # The activity's own dates no longer pass the plan's checks (an item over a year old): the completion
        # still counts; the activity is left for the citizen or the job centre to close.
        logger.warning("plan item %s of enrolment %s not marked done", item.pk, enrolment.pk)


def record_reported_use(*, vendor_id: int, report: ReportedUse, via: str,
                        now: datetime.datetime | None = None) -> Recorded:
    """Write a session, hour or completion the vendor reported for a citizen's active enrolment in one of
    its offers, once per event id (a second delivery returns the first event). A completion also completes
    the enrolment and marks its plan activity done. All or nothing; refusals are ReportRefused.

    `via` names the channel in the access log (the key id, or later the learning-record source)."""
    now = now or timezone.now()
    _check_values(report, now)
    try:
        with transaction.atomic():
            if (repeated := _duplicate(vendor_id, report)) is not None:
                return repeated
            enrolment = _enrolment(vendor_id, report)
            if report.occurred_at < enrolment.enrolled_at:
                raise ReportRefused("before_enrolment", {"occurred_at": [gettext_lazy(
                    "The citizen enrolled later than this time.")]})
            if month_settled(municipality_id=enrolment.municipality_id, vendor_id=vendor_id,
                             month=timezone.localtime(report.occurred_at).date().replace(day=1)):
                raise ReportRefused("month_settled")
            event = UseEvent.all_tenants.create(
                municipality_id=enrolment.municipality_id, offer_id=report.offer_id, vendor_id=vendor_id,
                enrolment=enrolment, citizen_id=enrolment.citizen_id, subject=report.subject, kind=report.kind,
                quantity=_quantity(report), occurred_at=report.occurred_at, dedupe_key=report.event_id)
            if report.kind == UseKind.COMPLETED:
                _complete(enrolment, report.occurred_at)
            access_log_record(actor=ApiCaller(vendor_id=vendor_id, via=via), municipality_id=enrolment.municipality_id,
                              citizen_id=enrolment.citizen_id, action="change", purpose="help",
                              what="marketplace reported use", role="vendor",
                              criterion=f"vendor {vendor_id} via {via}: {report.kind} {report.event_id}")
            publish_on_commit(UseRecorded(municipality_id=event.municipality_id, offer_id=report.offer_id,
                                          vendor_id=vendor_id, kind=report.kind, quantity=event.quantity,
                                          occurred_at=event.occurred_at, citizen_id=enrolment.citizen_id,
                                          use_event_id=event.pk, offer_title=offer_title(enrolment.offer)))
    except IntegrityError:
        # The same event id delivered twice at the same moment: the other delivery wrote it.
        repeated = _duplicate(vendor_id, report)
        if repeated is None:
            raise
        return repeated
    return Recorded(event=event, duplicate=False, enrolment_status=str(enrolment.status))


def callback_keys_of(actor) -> list[CallbackKey]:
    """The reporting keys of the vendor the actor acts for, newest first (none for anyone else)."""
    vendor_id = permissions.vendor_id_of(actor)
    if vendor_id is None:
        return []
    return list(CallbackKey.objects.filter(vendor_id=vendor_id).order_by("-created_at", "-id"))


def callback_key_used(*, key_id: str, now: datetime.datetime) -> None:
    """Note when a key was last used (the vendor portal shows it)."""
    CallbackKey.objects.filter(key_id=key_id).update(last_used_at=now)
