import json
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from jobunivers.audit.decorators import citizen_data_view
from jobunivers.audit.services import log_staff_access
from jobunivers.citizens.selectors import access_citizen
from jobunivers.core.errors import ValidationFailed
from jobunivers.core.redirects import is_local_path
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import STAFF_ROLES, Role

from . import selectors, services
from .channels import read_unsubscribe_token, vapid_keys
from .contracts import OPTIONAL_CHANNELS
from .forms import KIND_LABELS, PreferencesForm, PushSubscriptionForm
from .models import Channel, DeliveryStatus


@municipal_view(Role.CITIZEN)
def inbox(request):
    notifications = list(selectors.inbox_for(user=request.user))
    for notification in notifications:
        notification.kind_label = KIND_LABELS.get(notification.kind, "")
    return render(request, "notifications/inbox.html", {
        "notifications": notifications, "unread": sum(1 for n in notifications if n.read_at is None),
        "kind_labels": KIND_LABELS,
    })


@municipal_view(Role.CITIZEN)
@require_POST
def mark_all_read(request):
    services.notifications_mark_read(actor=request.user, municipality_id=request.municipality_id)
    messages.success(request, _("All messages are marked as read."))
    return redirect("notifications:inbox")


@municipal_view()  # any member: the look-up below is limited to the user's own notices (404 otherwise)
def open_notification(request, notification_id: int):
    """Mark one notice as read and follow its link (POST from the inbox; GET shows it)."""
    notification = selectors.access_notification(actor=request.user, notification_id=notification_id)
    if request.method == "POST":
        services.notifications_mark_read(actor=request.user, municipality_id=request.municipality_id,
                                         notification_ids=[notification.pk])
        if is_local_path(notification.link):
            return redirect(notification.link)
        return redirect("notifications:inbox")
    return render(request, "notifications/notification.html", {"notification": notification})


@municipal_view(Role.CITIZEN)
def preferences(request):
    current = selectors.preferences_for(user=request.user)
    quiet = selectors.quiet_hours_for(user=request.user)
    initial = {"quiet_from": quiet.starts_at if quiet else None, "quiet_until": quiet.ends_at if quiet else None}
    form = PreferencesForm(request.POST or None, current=current, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.preferences_set(actor=request.user, municipality_id=request.municipality_id,
                                         choices=form.choices())
                services.quiet_hours_set(actor=request.user, municipality_id=request.municipality_id,
                                         starts_at=form.cleaned_data["quiet_from"],
                                         ends_at=form.cleaned_data["quiet_until"])
            except ValidationFailed as error:
                for text in error.messages.get("__all__", []):
                    form.add_error(None, text)
            else:
                messages.success(request, _("Your choices for notices were saved."))
                return redirect("notifications:preferences")
        messages.error(request, _("Please correct the errors below."))
    channel_labels = dict(Channel.choices)
    return render(request, "notifications/preferences.html", {
        "form": form, "channels": [channel_labels[c] for c in OPTIONAL_CHANNELS],
        "vapid_public_key": vapid_keys()[0],
        "push_subscriptions": selectors.push_subscription_count(user=request.user),
    })


def _payload(request) -> dict:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        keys = data.get("keys") or {}
        return {"endpoint": data.get("endpoint", ""), "p256dh": keys.get("p256dh", data.get("p256dh", "")),
                "auth": keys.get("auth", data.get("auth", ""))}
    return request.POST


@municipal_view(Role.CITIZEN)
@require_POST
def push_subscribe(request):
    form = PushSubscriptionForm(_payload(request))
    if not form.is_valid():
        return JsonResponse({"ok": False, "error": _("The browser did not send a valid push subscription.")},
                            status=400)
    try:
        services.push_subscribe(actor=request.user, municipality_id=request.municipality_id,
                                user_agent=request.headers.get("User-Agent", ""), **form.cleaned_data)
    except ValidationFailed as error:
        return JsonResponse({"ok": False, "error": str(error)}, status=400)
    return JsonResponse({"ok": True, "message": _("Push messages are on in this browser.")})


@municipal_view(Role.CITIZEN)
@require_POST
def push_unsubscribe(request):
    endpoint = _payload(request).get("endpoint") or None
    removed = services.push_unsubscribe(actor=request.user, municipality_id=request.municipality_id,
                                        endpoint=endpoint)
    if request.content_type == "application/json":
        return JsonResponse({"ok": True, "removed": removed, "message": _("Push messages are off.")})
    messages.success(request, _("Push messages are off in all your browsers."))
    return redirect("notifications:preferences")


@csrf_exempt  # RFC 8058 one-click: the mail system POSTs without our form; the signed token is the proof.
def unsubscribe(request, token: str):
    data = read_unsubscribe_token(token)
    if data is None or getattr(request, "municipality_id", None) != data["m"]:
        raise Http404
    kinds = [kind for kind in data["k"] if kind in KIND_LABELS]
    if data["c"] not in OPTIONAL_CHANNELS or not kinds:
        raise Http404
    done = False
    if request.method == "POST":
        services.unsubscribe(user_id=data["u"], municipality_id=data["m"], kinds=kinds, channel=data["c"])
        done = True
    return render(request, "notifications/unsubscribe.html", {
        "done": done, "kinds": [KIND_LABELS[k] for k in kinds], "channel": dict(Channel.choices)[data["c"]],
    })


@municipal_view()  # the citizen is looked up first, so another municipality's id is 404 for every role
@citizen_data_view
def citizen_deliveries(request, citizen_id: int):
    """Staff: every notice to a citizen and its status per channel (decision support, logged)."""
    citizen = access_citizen(actor=request.user, citizen_id=citizen_id)
    if request.role not in STAFF_ROLES:
        raise PermissionDenied
    deliveries = selectors.deliveries_for_citizen(citizen_id=citizen.pk)
    log_staff_access(request, citizen_id=citizen.pk, what="notifications: delivery statuses")
    return render(request, "notifications/citizen_deliveries.html", {
        "citizen": citizen, "deliveries": deliveries, "kind_labels": KIND_LABELS,
        "channel_labels": dict(Channel.choices), "status_labels": dict(DeliveryStatus.choices),
    })


SERVICE_WORKER = Path(settings.BASE_DIR) / "static" / "js" / "push-sw.js"


@cache_control(max_age=0, no_cache=True)
def service_worker(request):
    """The push service worker at the site root, so it may control every municipality's pages."""
    response = HttpResponse(SERVICE_WORKER.read_text(encoding="utf-8"), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response
