"""Writes of the notifications app: queue notices (notify, notify_many), preferences, quiet hours,
push subscriptions, unsubscribe and reading the inbox. Delivery itself is in delivery.py.

`notify` is the stable entry point for other apps; see contracts.py for its guarantees.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.citizens.models import Citizen
from jobunivers.core.bulk import insert_ignoring_conflicts
from jobunivers.core.context import tenant_context
from jobunivers.core.errors import ValidationFailed
from jobunivers.core.redirects import is_local_path

from .channels import channels as channel_registry
from .contracts import (
    CHANNELS,
    FREQUENCIES,
    KINDS,
    OPTIONAL_CHANNELS,
    Channel,
    Frequency,
    Notice,
    NotifyResult,
)
from .models import DeliveryStatus, Notification, OutboxMessage, Preference, PushSubscription, QuietHours

DIGEST_HOUR = 7  # local time: digests arrive in the morning, never at night


def next_digest_time(frequency: str, now: datetime.datetime) -> datetime.datetime:
    """The next daily digest is tomorrow (or today, if before) at 07:00 local time; weekly on Monday."""
    local = timezone.localtime(now)
    candidate = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if candidate <= local:
        candidate += datetime.timedelta(days=1)
    if frequency == Frequency.WEEKLY:
        candidate += datetime.timedelta(days=(7 - candidate.weekday()) % 7)
    return candidate


def _validate(*, kind: str, subject_key: str, title: str, link: str, channels: Iterable[str] | None) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in KINDS:
        errors["kind"] = [_("Unknown kind of notice: %(kind)s") % {"kind": kind}]
    if not subject_key or len(subject_key) > 120:
        errors["subject_key"] = [_("A notice needs a subject key of at most 120 characters.")]
    if not (title or "").strip() or len(title) > 200:
        errors["title"] = [_("A notice needs a title of at most 200 characters.")]
    if link and not is_local_path(link, max_length=500):
        errors["link"] = [_("The link must be a path on this site.")]
    unknown = sorted(set(channels or ()) - set(CHANNELS))
    if unknown:
        errors["channels"] = [_("Unknown channels: %(channels)s") % {"channels": ", ".join(unknown)}]
    if errors:
        raise ValidationFailed(errors)


@dataclass(frozen=True)
class _Recipient:
    user_id: int
    email: str
    phone: str
    has_push: bool


def _recipients(*, municipality_id: int, user_ids: Iterable[int]) -> dict[int, _Recipient]:
    """Citizens of this municipality among user_ids, with what their channels need."""
    rows = Citizen.all_tenants.filter(municipality_id=municipality_id, user_id__in=list(user_ids)).values_list(
        "user_id", "user__email", "user__phone")
    result = {user_id: _Recipient(user_id, email or "", phone or "", False) for user_id, email, phone in rows}
    with_push = set(PushSubscription.all_tenants.filter(user_id__in=list(result)).values_list("user_id", flat=True))
    for user_id in with_push:
        r = result[user_id]
        result[user_id] = _Recipient(r.user_id, r.email, r.phone, True)
    return result


def _preferences(*, user_ids: Iterable[int], kinds: Iterable[str]) -> dict[tuple[int, str, str], str]:
    return {
        (user_id, kind, channel): frequency
        for user_id, kind, channel, frequency in Preference.all_tenants.filter(
            user_id__in=list(user_ids), kind__in=list(kinds)).values_list("user_id", "kind", "channel", "frequency")
    }


def frequency_for(preferences: dict[tuple[int, str, str], str], user_id: int, kind: str, channel: str) -> str:
    if channel == Channel.IN_APP:
        return Frequency.IMMEDIATE
    return preferences.get((user_id, kind, channel), KINDS[kind].defaults.get(channel, Frequency.OFF))


def _address_problem(recipient: _Recipient, channel: str) -> str | None:
    if channel == Channel.EMAIL and not recipient.email.strip():
        return _("No e-mail address is registered.")
    if channel == Channel.SMS and not recipient.phone.strip():
        return _("No mobile number is registered.")
    if channel == Channel.PUSH:
        return channel_registry.get(Channel.PUSH).address_problem_for_subscribed(  # type: ignore[attr-defined]
            recipient.has_push)
    return None


def _delivery_plan(*, recipient: _Recipient, kind: str, preferences, wanted: set[str],
                   now: datetime.datetime) -> list[tuple[str, str, str, datetime.datetime, datetime.datetime | None, str]]:
    """What one notice of this kind becomes for this recipient, per channel:
    (channel, frequency, status, next_attempt_at, sent_at, last_error). Channels turned off get no row."""
    plan: list[tuple[str, str, str, datetime.datetime, datetime.datetime | None, str]] = []
    for channel in CHANNELS:
        if channel != Channel.IN_APP and channel not in wanted:
            continue
        frequency = frequency_for(preferences, recipient.user_id, kind, channel)
        if frequency == Frequency.OFF:
            continue
        problem = _address_problem(recipient, channel)
        if channel == Channel.IN_APP:
            plan.append((channel, frequency, DeliveryStatus.SENT, now, now, ""))
        elif problem:
            plan.append((channel, frequency, DeliveryStatus.CANCELLED, now, None, problem))
        elif frequency in (Frequency.DAILY, Frequency.WEEKLY):
            plan.append((channel, frequency, DeliveryStatus.WAITING_FOR_DIGEST, next_digest_time(frequency, now), None, ""))
        else:
            plan.append((channel, frequency, DeliveryStatus.QUEUED, now, None, ""))
    return plan


def _outbox_rows(*, notification: Notification, recipient: _Recipient, preferences, wanted: set[str],
                 now: datetime.datetime) -> list[OutboxMessage]:
    rows = []
    for channel, frequency, status, next_attempt_at, sent_at, last_error in _delivery_plan(
            recipient=recipient, kind=notification.kind, preferences=preferences, wanted=wanted, now=now):
        rows.append(OutboxMessage(
            municipality_id=notification.municipality_id, notification=notification,
            recipient_id=recipient.user_id, kind=notification.kind, subject_key=notification.subject_key,
            channel=channel, frequency=frequency, next_attempt_at=next_attempt_at, status=status, sent_at=sent_at,
            last_error=last_error,
        ))
    return rows


def _enqueue_delivery(rows: list[OutboxMessage]) -> None:
    if any(row.status == DeliveryStatus.QUEUED for row in rows):
        from .tasks import deliver_outbox

        transaction.on_commit(lambda: deliver_outbox.delay())


def notify(*, municipality_id: int, citizen_user_id: int | None = None, citizen_id: int | None = None, kind: str,
           subject_key: str, title: str, body: str = "", link: str = "",
           channels: Iterable[str] | None = None) -> NotifyResult:
    """Queue one notice for one citizen: the inbox always, other channels by preference.

    Idempotent: a second call with the same (citizen, kind, subject_key) changes nothing and
    returns created=False. Raises ValidationFailed for bad input and for a person who is not a
    citizen of this municipality; then nothing is written.
    """
    _validate(kind=kind, subject_key=subject_key, title=title, link=link, channels=channels)
    if (citizen_user_id is None) == (citizen_id is None):
        raise ValidationFailed(_("Give either the citizen or the citizen's user, not both or neither."))
    if citizen_id is not None:
        citizen_user_id = Citizen.all_tenants.filter(pk=citizen_id, municipality_id=municipality_id).values_list(
            "user_id", flat=True).first()
    recipient = _recipients(municipality_id=municipality_id, user_ids=[citizen_user_id or 0]).get(citizen_user_id or 0)
    if recipient is None:
        raise ValidationFailed(_("This person is not a citizen of the municipality."))
    now = timezone.now()
    wanted = set(channels) if channels is not None else set(CHANNELS)
    with transaction.atomic(), tenant_context(municipality_id):
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    municipality_id=municipality_id, recipient_id=recipient.user_id, kind=kind,
                    subject_key=subject_key, title=title.strip(), body=body, link=link)
        except IntegrityError:
            existing = Notification.objects.get(recipient_id=recipient.user_id, kind=kind, subject_key=subject_key)
            return NotifyResult(notification_id=existing.pk, created=False)
        preferences = _preferences(user_ids=[recipient.user_id], kinds=[kind])
        rows = _outbox_rows(notification=notification, recipient=recipient, preferences=preferences,
                            wanted=wanted, now=now)
        OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
        _enqueue_delivery(rows)
    return NotifyResult(notification_id=notification.pk, created=True,
                        queued={row.channel: row.status for row in rows})


@dataclass(frozen=True)
class BulkResult:
    notifications_created: int
    deliveries_queued: int
    skipped_existing: int
    skipped_not_citizen: int


def notify_many(*, municipality_id: int, notices: list[Notice], batch_size: int = 5000) -> BulkResult:
    """Queue many notices at once (fan-out, bulk pushes). Same rules and idempotency as notify;
    notices that already exist, or whose person is not a citizen here, are skipped.

    Written with multi-row INSERT ... ON CONFLICT DO NOTHING on the unique keys (a concurrent
    notify for the same key wins; ours is then simply not written, and gets no outbox rows).
    Call it inside a transaction to make a whole fan-out batch one commit."""
    checked: set[tuple[str, str, str, str]] = set()
    for notice in notices:  # a fan-out repeats each posting's notice for many people: check each once
        content = (notice.kind, notice.subject_key, notice.title, notice.link)
        if content not in checked:
            _validate(kind=notice.kind, subject_key=notice.subject_key, title=notice.title, link=notice.link,
                      channels=None)
            checked.add(content)
    created = queued = existing = not_citizen = 0
    now = timezone.now()
    prepared: dict[datetime.datetime | None, object] = {None: None}

    def db_time(value):
        if value not in prepared:
            prepared[value] = Notification._meta.get_field("created_at").get_db_prep_save(value, connection)
        return prepared[value]

    wanted = set(CHANNELS)
    for start in range(0, len(notices), batch_size):
        chunk = notices[start:start + batch_size]
        user_ids = {n.citizen_user_id for n in chunk}
        recipients = _recipients(municipality_id=municipality_id, user_ids=user_ids)
        kinds = {n.kind for n in chunk}
        with transaction.atomic(), tenant_context(municipality_id):
            # What exists already is found by the insert itself (ON CONFLICT DO NOTHING ... RETURNING): a
            # look-up first cost more than the insert once the table held a journey run's notices.
            fresh, seen = [], set()
            for notice in chunk:
                key = (notice.citizen_user_id, notice.kind, notice.subject_key)
                if notice.citizen_user_id not in recipients:
                    not_citizen += 1
                elif key in seen:
                    existing += 1
                else:
                    seen.add(key)
                    fresh.append((municipality_id, notice.citizen_user_id, notice.kind, notice.subject_key,
                                  notice.title.strip(), notice.body, notice.link, db_time(now), db_time(now)))
            written = insert_ignoring_conflicts(
                Notification, ["municipality", "recipient", "kind", "subject_key", "title", "body", "link",
                               "created_at", "updated_at"], fresh, returning=["id", "recipient", "kind", "subject_key"])
            created += len(written)
            existing += len(fresh) - len(written)
            preferences = _preferences(user_ids=user_ids, kinds=kinds)
            plans: dict[tuple, list] = {}
            rows: list[tuple] = []
            any_queued = False
            for notification_id, recipient_id, kind, subject_key in written:
                # The plan depends on the person only through which addresses they have and their
                # choices for this kind: people alike share one plan (thousands in a fan-out).
                recipient = recipients[recipient_id]
                alike = (kind, bool(recipient.email.strip()), bool(recipient.phone.strip()), recipient.has_push,
                         tuple(preferences.get((recipient_id, kind, channel)) for channel in CHANNELS))
                plan = plans.get(alike)
                if plan is None:
                    plan = plans[alike] = _delivery_plan(
                        recipient=recipient, kind=kind, preferences=preferences, wanted=wanted, now=now)
                for channel, frequency, status, next_attempt_at, sent_at, last_error in plan:
                    rows.append((municipality_id, notification_id, recipient_id, kind, subject_key, channel, frequency,
                                 status, db_time(next_attempt_at), db_time(sent_at), last_error, db_time(now),
                                 db_time(now)))
                    if channel != Channel.IN_APP and status in (DeliveryStatus.QUEUED,
                                                                DeliveryStatus.WAITING_FOR_DIGEST):
                        queued += 1
                    any_queued = any_queued or status == DeliveryStatus.QUEUED
            insert_ignoring_conflicts(
                OutboxMessage, ["municipality", "notification", "recipient", "kind", "subject_key", "channel",
                                "frequency", "status", "next_attempt_at", "sent_at", "last_error", "created_at",
                                "updated_at"], rows)
            if any_queued:
                from .tasks import deliver_outbox

                transaction.on_commit(lambda: deliver_outbox.delay())
    return BulkResult(created, queued, existing, not_citizen)


# --- the citizen's own choices ---------------------------------------------------------------------

def preferences_set(*, actor, municipality_id: int, choices: dict[tuple[str, str], str]) -> int:
    """Save the citizen's choices {(kind, channel): frequency}. Turning a channel off cancels what
    is still waiting on it for that kind. Returns how many deliveries were cancelled."""
    errors = []
    for (kind, channel), frequency in choices.items():
        if kind not in KINDS or channel not in OPTIONAL_CHANNELS or frequency not in FREQUENCIES:
            errors.append(_("Unknown choice: %(kind)s, %(channel)s, %(frequency)s") % {
                "kind": kind, "channel": channel, "frequency": frequency})
    if errors:
        raise ValidationFailed({"__all__": errors})
    cancelled = 0
    with transaction.atomic(), tenant_context(municipality_id):
        for (kind, channel), frequency in choices.items():
            Preference.objects.update_or_create(
                user=actor, kind=kind, channel=channel,
                defaults={"municipality_id": municipality_id, "frequency": frequency})
            waiting = OutboxMessage.objects.filter(
                recipient=actor, kind=kind, channel=channel,
                status__in=[DeliveryStatus.QUEUED, DeliveryStatus.WAITING_FOR_DIGEST])
            if frequency == Frequency.OFF:
                cancelled += waiting.update(status=DeliveryStatus.CANCELLED,
                                            last_error=_("You turned these notices off."))
            elif frequency == Frequency.IMMEDIATE:
                waiting.filter(status=DeliveryStatus.WAITING_FOR_DIGEST).update(
                    status=DeliveryStatus.QUEUED, frequency=frequency, next_attempt_at=timezone.now())
            else:
                waiting.update(status=DeliveryStatus.WAITING_FOR_DIGEST, frequency=frequency,
                               next_attempt_at=next_digest_time(frequency, timezone.now()))
    return cancelled


def quiet_hours_set(*, actor, municipality_id: int, starts_at: datetime.time | None,
                    ends_at: datetime.time | None) -> QuietHours:
    if (starts_at is None) != (ends_at is None):
        raise ValidationFailed({"__all__": [_("Give both a start and an end for quiet hours, or neither.")]})
    if starts_at is not None and starts_at == ends_at:
        raise ValidationFailed({"__all__": [_("Quiet hours must start and end at different times.")]})
    with tenant_context(municipality_id):
        quiet, _created = QuietHours.objects.update_or_create(
            user=actor, defaults={"municipality_id": municipality_id, "starts_at": starts_at, "ends_at": ends_at})
    return quiet


def unsubscribe(*, user_id: int, municipality_id: int, kinds: list[str], channel: str) -> None:
    """One-click unsubscribe from an e-mail link: the same as choosing "off" for those kinds on that channel."""
    from jobunivers.accounts.models import User

    user = User.objects.get(pk=user_id)
    preferences_set(actor=user, municipality_id=municipality_id,
                    choices={(kind, channel): Frequency.OFF for kind in kinds})


def push_subscribe(*, actor, municipality_id: int, endpoint: str, p256dh: str, auth: str,
                   user_agent: str = "") -> PushSubscription:
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    try:
        URLValidator(schemes=["https"])(endpoint)
    except ValidationError:
        raise ValidationFailed({"endpoint": [_("The push address must be an https address.")]}) from None
    if not p256dh or not auth or len(p256dh) > 200 or len(auth) > 100:
        raise ValidationFailed({"keys": [_("The browser did not send valid push keys.")]})
    with transaction.atomic(), tenant_context(municipality_id):
        # An endpoint belongs to one browser: if another user had it, the browser changed hands.
        PushSubscription.all_tenants.filter(endpoint=endpoint).exclude(user=actor).delete()
        subscription, _created = PushSubscription.objects.update_or_create(
            endpoint=endpoint, defaults={"user": actor, "municipality_id": municipality_id, "p256dh": p256dh,
                                         "auth": auth, "user_agent": user_agent[:300]})
    return subscription


def push_unsubscribe(*, actor, municipality_id: int, endpoint: str | None = None) -> int:
    """Forget this browser's subscription, or all of the user's when no endpoint is given."""
    with tenant_context(municipality_id):
        subscriptions = PushSubscription.objects.filter(user=actor)
        if endpoint:
            subscriptions = subscriptions.filter(endpoint=endpoint)
        deleted, _details = subscriptions.delete()
    return deleted


def notifications_mark_read(*, actor, municipality_id: int, notification_ids: Iterable[int] | None = None) -> int:
    with tenant_context(municipality_id):
        unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
        if notification_ids is not None:
            unread = unread.filter(pk__in=list(notification_ids))
        return unread.update(read_at=timezone.now())


# --- retention ---------------------------------------------------------------------------------------------


def notifications_purge(*, municipality_id: int, retention_days: int, now=None) -> int:
    """Delete notices older than the period in this municipality, with their deliveries (outbox rows).

    A notice with a delivery still under way (queued, waiting for a digest, claimed, sending) stays
    until that delivery ends, so retention never swallows a message that is about to go out."""
    from jobunivers.core.services import cutoff, delete_in_chunks

    pending = OutboxMessage.all_tenants.filter(
        notification=OuterRef("pk"), status__in=[DeliveryStatus.QUEUED, DeliveryStatus.WAITING_FOR_DIGEST,
                                                 DeliveryStatus.CLAIMED, DeliveryStatus.SENDING])
    return delete_in_chunks(Notification.all_tenants.filter(
        municipality_id=municipality_id, created_at__lt=cutoff(retention_days, now)).exclude(Exists(pending)))
