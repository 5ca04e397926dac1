"""Delivery of the outbox: claim, send, mark — safe against crashes and concurrent workers.

1. claim: in one short transaction a worker picks due messages — on PostgreSQL with
   SELECT ... FOR UPDATE SKIP LOCKED, so workers never wait for or take each other's rows; on
   SQLite the write lock is taken at BEGIN (transaction_mode IMMEDIATE), so claims are serial —
   and marks them CLAIMED with its own token and a lease. The update is conditional on the row
   still being QUEUED, so a row can be claimed by one worker only.
2. send: per message, CLAIMED -> SENDING (conditional on the token), the provider call, then
   SENDING -> SENT (conditional on the token) — each step its own commit.
3. recover: a claim whose lease ran out (the worker died) goes back to QUEUED if it never reached
   SENDING. A message left in SENDING may or may not have reached the provider: it is sent again
   only on channels where that cannot reach the person twice (inbox; push with a Topic; SMS
   providers that deduplicate on our reference); otherwise (e-mail) it is marked failed with
   that reason rather than risk a second copy. See docs/adr/0040.

Workers act for every municipality, so they use the unscoped `all_tenants` manager on purpose;
each message carries its municipality, and rendering happens in that tenant's context.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.core.context import tenant_context
from jobunivers.tenancy.models import Municipality
from jobunivers.tenancy.routing import municipal_reverse

from .channels import PermanentDeliveryError, TransientDeliveryError, channels, compose, unsubscribe_token
from .contracts import Channel
from .models import DeliveryStatus, OutboxMessage, QuietHours

logger = logging.getLogger(__name__)

LEASE = datetime.timedelta(minutes=5)
MAX_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = 60
BACKOFF_CAP_SECONDS = 6 * 3600


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4, 8, 16 minutes ... capped at 6 hours."""
    return datetime.timedelta(seconds=min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1)))


def quiet_until(quiet: QuietHours | None, now: datetime.datetime) -> datetime.datetime | None:
    """The end of the current quiet period (aware), or None when it is not quiet now."""
    if quiet is None or quiet.starts_at is None or quiet.ends_at is None:
        return None
    local = timezone.localtime(now)
    t = local.time().replace(tzinfo=None)
    start, end = quiet.starts_at, quiet.ends_at
    inside = (start <= t < end) if start < end else (t >= start or t < end)
    if not inside:
        return None
    end_today = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    return end_today if end_today > local else end_today + datetime.timedelta(days=1)


@dataclass
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    deferred: int = 0
    lost_claims: int = 0
    errors: list[str] = field(default_factory=list)


def _claim(*, token: str, statuses: list[str], limit: int, now: datetime.datetime, extra: dict | None = None) -> list[int]:
    with transaction.atomic():
        due = OutboxMessage.all_tenants.filter(status__in=statuses, next_attempt_at__lte=now, **(extra or {}))
        due = due.order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("id", flat=True)[:limit])
        if not ids:
            return []
        OutboxMessage.all_tenants.filter(id__in=ids, status__in=statuses).update(
            status=DeliveryStatus.CLAIMED, claim_token=token, claimed_until=now + LEASE)
    return list(OutboxMessage.all_tenants.filter(claim_token=token, status=DeliveryStatus.CLAIMED)
                .order_by("next_attempt_at", "id").values_list("id", flat=True))


class _Context:
    """Per-run caches: municipalities and quiet hours."""

    def __init__(self) -> None:
        self.municipalities: dict[int, Municipality] = {}
        self.quiet: dict[int, QuietHours | None] = {}

    def municipality(self, municipality_id: int) -> Municipality:
        if municipality_id not in self.municipalities:
            self.municipalities[municipality_id] = Municipality.objects.select_related("theme").get(pk=municipality_id)
        return self.municipalities[municipality_id]

    def quiet_hours(self, user_id: int) -> QuietHours | None:
        if user_id not in self.quiet:
            self.quiet[user_id] = QuietHours.all_tenants.filter(user_id=user_id).first()
        return self.quiet[user_id]


def _outgoing(context: _Context, messages: list[OutboxMessage], key: str):
    first = messages[0]
    municipality = context.municipality(first.municipality_id)
    theme = getattr(municipality, "theme", None)
    sender = theme.display_name if theme is not None else f"Jobcenter {municipality.name}"
    kinds = [m.kind for m in messages]
    token = unsubscribe_token(user_id=first.recipient_id, municipality_id=municipality.pk, kinds=kinds,
                              channel=first.channel)
    with tenant_context(municipality.pk):
        return compose(
            recipient_id=first.recipient_id, municipality=municipality, sender_name=sender, kinds=kinds,
            channel=first.channel, key=key,
            inbox_path=municipal_reverse(municipality.slug, "notifications:inbox"),
            unsubscribe_path=municipal_reverse(municipality.slug, "notifications:unsubscribe",
                                               kwargs={"token": token}),
        )


def _send_group(context: _Context, token: str, messages: list[OutboxMessage], key: str,
                now: datetime.datetime, report: DeliveryReport, *, back_status: str) -> None:
    """Send one outgoing message for `messages` (one, or a digest) and record the outcome on all."""
    ids = [m.pk for m in messages]
    first = messages[0]
    channel = channels.get(first.channel)
    if channel.quiet_hours_apply:
        until = quiet_until(context.quiet_hours(first.recipient_id), now)
        if until is not None:
            OutboxMessage.all_tenants.filter(id__in=ids, claim_token=token).update(
                status=back_status, next_attempt_at=until, claim_token="", claimed_until=None)
            report.deferred += len(ids)
            return
    with transaction.atomic():
        moved = OutboxMessage.all_tenants.filter(id__in=ids, claim_token=token, status=DeliveryStatus.CLAIMED).update(
            status=DeliveryStatus.SENDING, claimed_until=now + LEASE)
    if moved != len(ids):
        # Our lease ran out and another worker took (some of) them: leave them to it.
        report.lost_claims += len(ids)
        OutboxMessage.all_tenants.filter(id__in=ids, claim_token=token, status=DeliveryStatus.SENDING).update(
            status=back_status, claim_token="", claimed_until=None)
        return
    attempts = max(m.attempts for m in messages) + 1
    try:
        outgoing = _outgoing(context, messages, key)
        reference = channel.send(first.recipient, outgoing)
    except PermanentDeliveryError as error:
        OutboxMessage.all_tenants.filter(id__in=ids, claim_token=token).update(
            status=DeliveryStatus.FAILED, attempts=attempts, last_error=str(error)[:500], claim_token="",
            claimed_until=None)
        report.failed += len(ids)
        return
    except Exception as error:  # noqa: BLE001 - a provider's failure must not stop the batch
        if not isinstance(error, TransientDeliveryError):
            logger.exception("notification delivery failed on %s", first.channel)
        reason = str(error)[:400] or error.__class__.__name__
        if attempts >= MAX_ATTEMPTS:
            OutboxMessage.all_tenants.filter(id__in=ids, claim_token=token).update(
                status=DeliveryStatus.FAILED, attempts=attempts, claim_token="", claimed_until=None,
                last_error=(_("Gave up after %(n)d attempts: %(reason)s") % {"n": attempts, "reason": reason})[:500])
            report.failed += len(ids)
        else:
            OutboxMessage.all_tenants.filter(id__in=ids, claim_token=token).update(
                status=back_status, attempts=attempts, next_attempt_at=now + backoff(attempts),
                last_error=reason, claim_token="", claimed_until=None)
            report.retrying += len(ids)
        report.errors.append(reason)
        return
    with transaction.atomic():
        OutboxMessage.all_tenants.filter(id__in=ids, claim_token=token, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.SENT, sent_at=timezone.now(), attempts=attempts, last_error="",
            provider_reference=(reference or "")[:200], claim_token="", claimed_until=None)
    report.sent += len(ids)


def deliver_due(*, limit: int = 200, now: datetime.datetime | None = None, token: str | None = None) -> DeliveryReport:
    """Send what is due "right away". Safe to run in any number of workers at once."""
    now = now or timezone.now()
    token = token or uuid.uuid4().hex
    report = DeliveryReport()
    ids = _claim(token=token, statuses=[DeliveryStatus.QUEUED], limit=limit, now=now)
    report.claimed = len(ids)
    context = _Context()
    for message in OutboxMessage.all_tenants.filter(id__in=ids).select_related("recipient").order_by(
            "next_attempt_at", "id"):
        _send_group(context, token, [message], message.idempotency_key, now, report,
                    back_status=DeliveryStatus.QUEUED)
    return report


def send_digests(*, limit: int = 2000, now: datetime.datetime | None = None) -> DeliveryReport:
    """Send daily and weekly digests that are due: one outgoing message per person and channel."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    report = DeliveryReport()
    ids = _claim(token=token, statuses=[DeliveryStatus.WAITING_FOR_DIGEST], limit=limit, now=now)
    report.claimed = len(ids)
    groups: dict[tuple[int, str], list[OutboxMessage]] = {}
    for message in OutboxMessage.all_tenants.filter(id__in=ids).select_related("recipient").order_by("id"):
        groups.setdefault((message.recipient_id, message.channel), []).append(message)
    context = _Context()
    for (_recipient, _channel), messages in groups.items():
        key = f"digest:{messages[0].idempotency_key}:{len(messages)}:{messages[-1].pk}"
        _send_group(context, token, messages, key, now, report, back_status=DeliveryStatus.WAITING_FOR_DIGEST)
    return report


def recover_interrupted(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Release claims of workers that died (their lease ran out). See the module docstring."""
    now = now or timezone.now()
    expired = OutboxMessage.all_tenants.filter(claimed_until__lt=now)
    requeued = 0
    for frequency_status, frequencies in ((DeliveryStatus.QUEUED, ["immediate"]),
                                          (DeliveryStatus.WAITING_FOR_DIGEST, ["daily", "weekly"])):
        requeued += expired.filter(status=DeliveryStatus.CLAIMED, frequency__in=frequencies).update(
            status=frequency_status, claim_token="", claimed_until=None)
    resent = failed = 0
    for name, channel in channels:
        stuck = expired.filter(status=DeliveryStatus.SENDING, channel=name)
        if channel.safe_to_resend:
            resent += stuck.filter(frequency="immediate").update(
                status=DeliveryStatus.QUEUED, claim_token="", claimed_until=None, next_attempt_at=now)
            resent += stuck.exclude(frequency="immediate").update(
                status=DeliveryStatus.WAITING_FOR_DIGEST, claim_token="", claimed_until=None, next_attempt_at=now)
        else:
            failed += stuck.update(
                status=DeliveryStatus.FAILED, claim_token="", claimed_until=None,
                last_error=_("Interrupted while sending. It may have arrived; it is not sent again, so that it "
                             "never arrives twice."))
    return {"requeued": requeued, "resent": resent, "failed_uncertain": failed}


__all__ = ["deliver_due", "send_digests", "recover_interrupted", "backoff", "quiet_until", "Channel"]
