"""The vendor's reporting keys for the progress callback (ADR 0084): make, rotate and revoke them. A new
key's secret is shown on the answer to the POST that made it, once; it is never stored."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobunivers.core.errors import ValidationFailed
from jobunivers.tenancy.decorators import national_view
from jobunivers.tenancy.roles import Role

from . import reporting


def _page(request, *, new_key=None, secret: str = "", launch_secret: str = ""):
    now = timezone.now()
    keys = [{"key": key, "working": reporting.is_working(key, now)} for key in reporting.callback_keys_of(request.user)]
    return render(request, "marketplace/vendor_keys.html", {
        "keys": keys, "new_key": new_key, "secret": secret, "launch_secret": launch_secret,
        "launch_key_made_at": reporting.launch_key_made_at(actor=request.user),
        "launch_parameter": "ju_launch",
        "endpoint": settings.SITE_URL.rstrip("/") + "/api/v1/marketplace/use-events",
        "window_minutes": reporting.SIGNATURE_WINDOW_SECONDS // 60})


@national_view(Role.VENDOR)
def vendor_keys(request):
    if request.method == "POST":
        try:
            key, secret = reporting.callback_key_create(actor=request.user)
        except ValidationFailed as error:
            messages.error(request, str(error))
            return redirect("marketplace:vendor_keys")
        return _page(request, new_key=key, secret=secret)
    return _page(request)


@require_POST
@national_view(Role.VENDOR)
def vendor_key_change(request, key_id: int):
    action = request.POST.get("action")
    try:
        if action == "rotate":
            key, secret = reporting.callback_key_rotate(actor=request.user, key_pk=key_id)
            return _page(request, new_key=key, secret=secret)
        if action == "revoke":
            reporting.callback_key_revoke(actor=request.user, key_pk=key_id)
            messages.success(request, _("The key is revoked. Requests signed with it are refused from now on."))
        else:
            messages.error(request, _("Choose rotate or revoke."))
    except ValidationFailed as error:
        messages.error(request, str(error))
    return redirect("marketplace:vendor_keys")


@require_POST
@national_view(Role.VENDOR)
def vendor_launch_key(request):
    """Make a new key for signed launches; its value is on this answer only."""
    try:
        secret = reporting.launch_key_renew(actor=request.user)
    except ValidationFailed as error:
        messages.error(request, str(error))
        return redirect("marketplace:vendor_keys")
    return _page(request, launch_secret=secret)
