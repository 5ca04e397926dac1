"""Delivery channels behind a registry: in-app, e-mail, web push and SMS (providers in contrib/).

A channel turns a batch of outbox messages for one recipient (one for "right away", several for
a digest) into one outgoing message. It raises `TransientDeliveryError` when trying again later may
help (provider down, rate limited) and `PermanentDeliveryError` when it will not (no address).

Privacy: outgoing texts are neutral. They name the job centre and the kind of notice, never the
title or body the caller gave (which may say "summons" or a job the citizen was pushed), and link
to the inbox where the citizen reads it after logging in.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobunivers.core.registry import Registry

from .contracts import Channel, Kind

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "jobunivers.notifications.unsubscribe"


class TransientDeliveryError(Exception):
    """Try again later (with back-off)."""


class PermanentDeliveryError(Exception):
    """Do not try again; the reason is shown to the citizen and staff."""


@dataclass(frozen=True)
class OutgoingMessage:
    """What a channel sends: neutral texts, a link, and the key the provider may deduplicate on."""

    recipient_id: int
    municipality_id: int
    municipality_slug: str
    sender_name: str
    subject: str
    text: str
    link: str
    unsubscribe_url: str
    idempotency_key: str


def base_url() -> str:
    return (getattr(settings, "NOTIFICATIONS_BASE_URL", "") or os.environ.get("NOTIFICATIONS_BASE_URL", "")
            or "http://127.0.0.1:8000").rstrip("/")


def unsubscribe_token(*, user_id: int, municipality_id: int, kinds: list[str], channel: str) -> str:
    """A signed, non-expiring token for one-click unsubscribe from these kinds on this channel."""
    return signing.dumps({"u": user_id, "m": municipality_id, "k": sorted(set(kinds)), "c": channel},
                         salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> dict | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not {"u", "m", "k", "c"} <= set(data) or not isinstance(data["k"], list):
        return None
    return data


def kind_label(kind: str) -> str:
    labels = {
        Kind.JOB_MATCH: _("jobs that match you"),
        Kind.JOB_SUGGESTION: _("a job suggested by the job centre"),
        Kind.SUMMONS: _("a conversation with the job centre"),
        Kind.AVAILABILITY: _("your job log and availability"),
        Kind.MESSAGE: _("a message from the job centre"),
        Kind.GENERAL: _("news from the job centre"),
        Kind.FEEDBACK: _("a question about your experience"),
        Kind.LEARNING: _("a learning module you started"),
        Kind.COFFEE: _("a coffee meeting with an employer"),
        Kind.JOURNEY: _("the next step of your journey"),
        Kind.INTERNSHIP: _("an internship"),
    }
    return str(labels.get(kind, _("news from the job centre")))


def compose(*, recipient_id: int, municipality, sender_name: str, kinds: list[str], channel: str, key: str,
            inbox_path: str, unsubscribe_path: str) -> OutgoingMessage:
    """The neutral outgoing text, in Danish (the platform's language for outgoing messages)."""
    count = len(kinds)
    with translation.override(settings.LANGUAGE_CODE):
        distinct = sorted(set(kinds))
        subject = ngettext("New message from %(sender)s", "%(count)d new messages from %(sender)s", count) % {
            "sender": sender_name, "count": count}
        about = ", ".join(kind_label(kind) for kind in distinct)
        text = ngettext(
            "You have a new message about %(about)s on Jobunivers. Log in to read it.",
            "You have %(count)d new messages about %(about)s on Jobunivers. Log in to read them.",
            count,
        ) % {"about": about, "count": count}
    return OutgoingMessage(
        recipient_id=recipient_id, municipality_id=municipality.pk, municipality_slug=municipality.slug,
        sender_name=sender_name, subject=subject, text=text, link=base_url() + inbox_path,
        unsubscribe_url=base_url() + unsubscribe_path, idempotency_key=key,
    )


class BaseChannel:
    name: str = ""
    # True when sending again after an interruption cannot reach the person twice (the provider
    # deduplicates on our key, or the channel is our own database).
    safe_to_resend: bool = False
    quiet_hours_apply: bool = False

    def address_problem(self, user) -> str | None:
        """Why this user cannot be reached on this channel, or None."""
        return None

    def send(self, user, message: OutgoingMessage) -> str:
        raise NotImplementedError


channels: Registry[BaseChannel] = Registry("notification channel")


class InAppChannel(BaseChannel):
    """The inbox is the Notification row itself: delivered when it is written."""

    name = Channel.IN_APP
    safe_to_resend = True

    def send(self, user, message: OutgoingMessage) -> str:
        return ""


channels.register(Channel.IN_APP)(InAppChannel())


class EmailChannel(BaseChannel):
    """Django's mail backend. One-click unsubscribe (RFC 8058) and a Message-ID derived from the
    idempotency key, so mail systems that see it twice show it once."""

    name = Channel.EMAIL

    def address_problem(self, user) -> str | None:
        if not (user.email or "").strip():
            return _("No e-mail address is registered.")
        return None

    def send(self, user, message: OutgoingMessage) -> str:
        problem = self.address_problem(user)
        if problem:
            raise PermanentDeliveryError(problem)
        digest = hashlib.sha256(message.idempotency_key.encode()).hexdigest()[:32]
        message_id = f"<{digest}@notifications.jobunivers>"
        with translation.override(settings.LANGUAGE_CODE):
            footer = _("Stop these e-mails: %(url)s") % {"url": message.unsubscribe_url}
        email = EmailMessage(
            subject=message.subject,
            body=f"{message.text}\n\n{message.link}\n\n--\n{message.sender_name}\n{footer}\n",
            to=[user.email],
            headers={
                "List-Unsubscribe": f"<{message.unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Message-ID": message_id,
                "Auto-Submitted": "auto-generated",
            },
        )
        try:
            email.send(fail_silently=False)
        except (OSError, ConnectionError) as error:  # SMTP down, refused, timed out
            raise TransientDeliveryError(str(error)[:200]) from error
        return message_id


channels.register(Channel.EMAIL)(EmailChannel())


def vapid_keys() -> tuple[str, str, str]:
    """(public, private, subject) from settings or the environment; empty strings when not set."""
    def get(name: str, default: str = "") -> str:
        return getattr(settings, name, "") or os.environ.get(name, default)

    return (get("WEBPUSH_VAPID_PUBLIC_KEY"), get("WEBPUSH_VAPID_PRIVATE_KEY"),
            get("WEBPUSH_VAPID_SUBJECT", "mailto:drift@jobunivers.localhost"))


def push_topic(key: str) -> str:
    # A push service replaces a still-undelivered message with the same Topic (RFC 8030 §5.4):
    # a resend after an interruption does not reach the device twice.
    return base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest()).decode().rstrip("=")[:32]


class PushChannel(BaseChannel):
    name = Channel.PUSH
    safe_to_resend = True
    quiet_hours_apply = True

    def address_problem_for_subscribed(self, has_subscription: bool) -> str | None:
        if not vapid_keys()[1]:
            return _("Push messages are not set up on this platform.")
        if not has_subscription:
            return _("No browser is subscribed to push messages.")
        return None

    def address_problem(self, user) -> str | None:
        from .models import PushSubscription

        return self.address_problem_for_subscribed(PushSubscription.all_tenants.filter(user=user).exists())

    def send(self, user, message: OutgoingMessage) -> str:
        from pywebpush import WebPushException, webpush

        from .models import PushSubscription

        problem = self.address_problem(user)
        if problem:
            raise PermanentDeliveryError(problem)
        _public, private, subject = vapid_keys()
        payload = json.dumps({"title": message.subject, "body": message.text, "url": message.link})
        delivered, transient = 0, []
        for subscription in PushSubscription.all_tenants.filter(user=user):
            try:
                webpush(
                    subscription_info={"endpoint": subscription.endpoint,
                                       "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}},
                    data=payload, vapid_private_key=private, vapid_claims={"sub": subject}, ttl=24 * 3600,
                    headers={"Topic": push_topic(message.idempotency_key), "Urgency": "normal"}, timeout=10,
                )
                delivered += 1
            except WebPushException as error:
                status = getattr(error.response, "status_code", None)
                if status in (404, 410):
                    # The browser unsubscribed or the subscription expired: forget it.
                    subscription.delete()
                    continue
                transient.append(f"{status}: {str(error)[:100]}")
            except OSError as error:
                transient.append(str(error)[:100])
        if delivered:
            return f"{delivered} browser(s)"
        if transient:
            raise TransientDeliveryError("; ".join(transient)[:400])
        raise PermanentDeliveryError(_("No browser is subscribed to push messages."))


channels.register(Channel.PUSH)(PushChannel())


class SmsChannel(BaseChannel):
    name = Channel.SMS
    quiet_hours_apply = True

    def address_problem(self, user) -> str | None:
        if not (getattr(user, "phone", "") or "").strip():
            return _("No mobile number is registered.")
        return None

    @property
    def safe_to_resend(self) -> bool:  # type: ignore[override]
        from .sms import provider

        return provider().deduplicates_by_reference

    def send(self, user, message: OutgoingMessage) -> str:
        from .sms import ProviderError, provider

        problem = self.address_problem(user)
        if problem:
            raise PermanentDeliveryError(problem)
        text = f"{message.sender_name}: {message.text} {message.link}"
        try:
            return provider().send(to=user.phone.strip(), text=text, reference=message.idempotency_key)
        except ProviderError as error:
            if error.permanent:
                raise PermanentDeliveryError(str(error)[:400]) from error
            raise TransientDeliveryError(str(error)[:400]) from error


channels.register(Channel.SMS)(SmsChannel())
