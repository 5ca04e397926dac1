"""Notifications: the in-app inbox, the outbox of deliveries per channel, preferences and push subscriptions.

A `Notification` is one notice to one citizen (the in-app inbox item). Each channel it goes out on
is an `OutboxMessage` whose idempotency key — (recipient, kind, subject key, channel) — is a unique
constraint in the database: whatever retries, crashes or concurrent workers do, a notice can be
queued only once per channel. See docs/notifications.md and docs/adr/0040.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobunivers.core.models import TenantOwnedModel


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the inbox")
    EMAIL = "email", _("E-mail")
    PUSH = "push", _("Push message")
    SMS = "sms", _("Text message (SMS)")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Right away")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    OFF = "off", _("Off")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    WAITING_FOR_DIGEST = "digest", _("Waiting for the digest")
    CLAIMED = "claimed", _("Being prepared")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Not sent")


class Notification(TenantOwnedModel):
    """One notice to one person; it is also the in-app inbox item."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=40)
    # What the notice is about, e.g. "posting:123" or "summons:45": with kind and recipient it identifies it.
    subject_key = models.CharField(_("subject"), max_length=120)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "subject_key"], name="notification_once_per_subject"),
        ]
        indexes = [models.Index(fields=["recipient", "-created_at"]),
                   # Fan-out's cap counts each citizen's recent notices of a kind; retention deletes by age.
                   models.Index(fields=["kind", "created_at"], name="notification_kind_recent")]

    def __str__(self) -> str:
        return self.title


class OutboxMessage(TenantOwnedModel):
    """One delivery of a notification on one channel."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("notification")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=40)
    subject_key = models.CharField(_("subject"), max_length=120)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    status = models.CharField(_("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    claim_token = models.CharField(_("claimed by"), max_length=64, blank=True, db_index=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.CharField(_("reason"), max_length=500, blank=True)
    provider_reference = models.CharField(_("provider reference"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The idempotency key: one delivery per (citizen, subject, channel, kind), enforced by the database.
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_key", "channel"], name="outbox_once_per_channel"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["claim_token"], name="outbox_claim", condition=~Q(claim_token="")),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.kind} {self.subject_key} ({self.status})"

    @property
    def idempotency_key(self) -> str:
        return f"{self.recipient_id}:{self.kind}:{self.subject_key}:{self.channel}"


class Preference(TenantOwnedModel):
    """A citizen's choice for one kind of notice on one channel. No row means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "channel"], name="preference_once_per_kind_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.channel}: {self.frequency}"


class QuietHours(TenantOwnedModel):
    """When push messages and text messages wait (local time). Start after end means over midnight."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiet_hours", verbose_name=_("user")
    )
    starts_at = models.TimeField(_("quiet from"), null=True, blank=True)
    ends_at = models.TimeField(_("quiet until"), null=True, blank=True)

    class Meta:
        verbose_name = _("quiet hours")
        verbose_name_plural = _("quiet hours")

    def __str__(self) -> str:
        return f"{self.starts_at}-{self.ends_at}"


class PushSubscription(TenantOwnedModel):
    """A browser's web-push subscription (endpoint and keys from PushManager.subscribe)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions", verbose_name=_("user")
    )
    endpoint = models.URLField(_("endpoint"), max_length=1000, unique=True)
    p256dh = models.CharField(_("public key"), max_length=200)
    auth = models.CharField(_("authentication secret"), max_length=100)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return self.endpoint[:60]
