"""Personal data held by notifications: the inbox, deliveries, choices, quiet hours and push subscriptions."""

from django.utils.translation import gettext_lazy as _

from jobunivers.audit.privacy import Shown, register_access_subject, register_personal_data, shown_as

from .forms import KIND_LABELS
from .models import Notification, OutboxMessage, Preference, PushSubscription, QuietHours

KIND = Shown(_("Kind"), choices=KIND_LABELS)


def _export_notifications(user):
    return [{"created": n.created_at.isoformat(), "kind": n.kind, "title": n.title, "text": n.body, "link": n.link,
             "read": n.read_at.isoformat() if n.read_at else None}
            for n in Notification.all_tenants.filter(recipient=user).order_by("created_at")]


def _export_deliveries(user):
    return [{"created": m.created_at.isoformat(), "kind": m.kind, "channel": m.channel, "status": m.status,
             "attempts": m.attempts, "sent": m.sent_at.isoformat() if m.sent_at else None, "reason": m.last_error}
            for m in OutboxMessage.all_tenants.filter(recipient=user).order_by("created_at")]


def _export_preferences(user):
    return [{"kind": p.kind, "channel": p.channel, "frequency": p.frequency}
            for p in Preference.all_tenants.filter(user=user).order_by("kind", "channel")]


def _export_quiet_hours(user):
    return [{"from": q.starts_at.isoformat() if q.starts_at else None,
             "until": q.ends_at.isoformat() if q.ends_at else None}
            for q in QuietHours.all_tenants.filter(user=user)]


def _export_push(user):
    # The endpoint and keys are secrets of the browser: the export says which browsers, not the keys.
    return [{"browser": s.user_agent, "since": s.created_at.isoformat()}
            for s in PushSubscription.all_tenants.filter(user=user)]


def _erase(model, field):
    def erase(user):
        model.all_tenants.filter(**{field: user}).delete()
    return erase


register_personal_data(Notification, category=_("Messages in your inbox"), purpose="help",
                       export=_export_notifications, erase=_erase(Notification, "recipient"),
                       fields={"created": shown_as(Notification, "created_at"), "kind": KIND,
                               "text": shown_as(Notification, "body"), "read": shown_as(Notification, "read_at")})
register_personal_data(OutboxMessage, category=_("Delivery of notices (e-mail, push, text message)"),
                       purpose="help", export=_export_deliveries, erase=_erase(OutboxMessage, "recipient"),
                       fields={"created": shown_as(OutboxMessage, "created_at"), "kind": KIND,
                               "sent": shown_as(OutboxMessage, "sent_at"),
                               "reason": shown_as(OutboxMessage, "last_error")})
register_personal_data(Preference, category=_("Your choices for notices"), purpose="help",
                       export=_export_preferences, erase=_erase(Preference, "user"), fields={"kind": KIND})
register_personal_data(QuietHours, category=_("Your quiet hours"), purpose="help",
                       export=_export_quiet_hours, erase=_erase(QuietHours, "user"),
                       fields={"from": shown_as(QuietHours, "starts_at"), "until": shown_as(QuietHours, "ends_at")})
register_personal_data(PushSubscription, category=_("Browsers with push messages"), purpose="help",
                       export=_export_push, erase=_erase(PushSubscription, "user"),
                       fields={"browser": shown_as(PushSubscription, "user_agent"),
                               "since": shown_as(PushSubscription, "created_at")})
register_access_subject("notifications: delivery statuses", _("the delivery of your notices"))
