"""Reads of the notifications app: the inbox, delivery statuses and the citizen's choices.

All reads are scoped to the municipality in context (tenant-owned models).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, QuerySet

from jobunivers.citizens.models import Citizen
from jobunivers.core.errors import NotFound

from .contracts import KINDS, OPTIONAL_CHANNELS, DeliveryView, Frequency, OutboxBacklog
from .models import Notification, OutboxMessage, Preference, PushSubscription, QuietHours


def inbox_for(*, user, limit: int = 50) -> QuerySet[Notification]:
    deliveries = OutboxMessage.objects.order_by("channel")
    return (Notification.objects.filter(recipient=user)
            .prefetch_related(Prefetch("deliveries", queryset=deliveries))[:limit])


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def access_notification(*, actor, notification_id: int) -> Notification:
    """The actor's own notification; someone else's and a missing one look the same."""
    notification = Notification.objects.filter(pk=notification_id, recipient=actor).first()
    if notification is None:
        raise NotFound
    return notification


def deliveries_for_citizen(*, citizen_id: int, limit: int = 100) -> list[DeliveryView]:
    """Every delivery to a citizen of the municipality in context, newest first (for staff)."""
    user_id = Citizen.objects.filter(pk=citizen_id).values_list("user_id", flat=True).first()
    if user_id is None:
        raise NotFound
    rows = OutboxMessage.objects.filter(recipient_id=user_id).select_related("notification").order_by(
        "-created_at", "-id")[:limit]
    return [DeliveryView(notification_id=row.notification_id, title=row.notification.title, kind=row.kind,
                         channel=row.channel, status=row.status, attempts=row.attempts, reason=row.last_error,
                         created_at=row.created_at, sent_at=row.sent_at) for row in rows]


def preferences_for(*, user) -> dict[tuple[str, str], str]:
    """Every (kind, optional channel) with the citizen's choice or the kind's default."""
    chosen = {(p.kind, p.channel): p.frequency for p in Preference.objects.filter(user=user)}
    return {(kind, channel): chosen.get((kind, channel), spec.defaults.get(channel, Frequency.OFF))
            for kind, spec in KINDS.items() for channel in OPTIONAL_CHANNELS}


def quiet_hours_for(*, user) -> QuietHours | None:
    return QuietHours.objects.filter(user=user).first()


def push_subscription_count(*, user) -> int:
    return PushSubscription.objects.filter(user=user).count()


def notice_counts_since(*, kind: str, since: datetime.datetime) -> dict[int, int]:
    """Notices of one kind created since `since`, per recipient user id, in every municipality.

    For fan-out's per-citizen cap, which holds across runs within its window; reads only."""
    return dict(Notification.all_tenants.filter(kind=kind, created_at__gte=since)
                .values("recipient_id").annotate(n=Count("id")).values_list("recipient_id", "n"))


# --- operations -------------------------------------------------------------------------------------------

BACKLOG_STATUSES = ("queued", "digest", "claimed", "sending")


def outbox_backlog(*, now: datetime.datetime | None = None) -> OutboxBacklog:
    """Every municipality's unsent deliveries (national figures for the metrics endpoint)."""
    from django.db.models import Min
    from django.utils import timezone

    now = now or timezone.now()
    counts = {(row["status"], row["channel"]): row["count"]
              for row in OutboxMessage.all_tenants.filter(status__in=BACKLOG_STATUSES)
              .values("status", "channel").annotate(count=Count("id")).order_by()}
    oldest = (OutboxMessage.all_tenants.filter(status="queued", next_attempt_at__lte=now)
              .aggregate(oldest=Min("next_attempt_at"))["oldest"])
    return OutboxBacklog(by_status_and_channel=counts,
                         oldest_due_seconds=(now - oldest).total_seconds() if oldest else None)


def read_subjects(*, municipality_id: int, kind: str, subject_keys) -> set[str]:
    """Of these subject keys of one kind, those whose notice the citizen opened in the inbox (journeys'
    condition "opened the notice"). Keys only."""
    keys = sorted(set(subject_keys))
    found: set[str] = set()
    for start in range(0, len(keys), 500):  # SQLite's limit on query parameters
        found.update(Notification.all_tenants.filter(
            municipality_id=municipality_id, kind=kind, subject_key__in=keys[start:start + 500],
            read_at__isnull=False).values_list("subject_key", flat=True))
    return found
