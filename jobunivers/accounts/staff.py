"""Staff sign-in: local account, then a mandatory TOTP second factor (django-otp).

Step 1 checks username and password (django-axes counts failures: 3 from one address
lock that user name from that address for a short cool-off, settings.AXES_COOLOFF_TIME); the user is not signed in yet, only remembered as
pending in the session for a few minutes. Step 2 asks for the 6-digit code from
the authenticator app, or, on the first sign-in, shows the QR code to enrol it.
Only then is the user signed in, with the device marked as verified.
"""

from __future__ import annotations

import io
import logging
import time

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, login
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from jobunivers.core.redirects import safe_next
from jobunivers.tenancy.roles import STAFF_ROLES, Role
from jobunivers.tenancy.selectors import memberships_of

from .contrib.staffsso.selectors import local_sign_in_allowed
from .contrib.staffsso.services import break_glass_record

logger = logging.getLogger(__name__)

PENDING_KEY = "jobunivers_staff_pending"
PENDING_SECONDS = 5 * 60
SECOND_FACTOR_ROLES = frozenset(STAFF_ROLES | {Role.MUNICIPALITY_ADMIN, Role.PLATFORM_OPERATOR})


def needs_second_factor(user) -> bool:
    return any(m.role in SECOND_FACTOR_ROLES for m in memberships_of(user))


class PasswordForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "class": "form-input"}))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password",
                                                                 "class": "form-input"}))


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("6-digit code from your authenticator app"), regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits shown in your authenticator app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "form-input"}),
    )


def _safe_next(request) -> str:
    return safe_next(request)


def cool_off_minutes() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def lockout_response(request, credentials=None, *args, **kwargs):
    """django-axes calls this when a user name is locked from this address (AXES_LOCKOUT_CALLABLE)."""
    logger.warning("staff sign-in locked out after repeated failures")
    return render(request, "accounts/staff_locked.html", {"minutes": cool_off_minutes()}, status=429)


@sensitive_variables()  # passwords, codes and the user stay out of error reports
@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def staff_login(request):
    form = PasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request)
        if user is None:
            form.add_error(None, _("The user name or password is wrong. After 3 failed attempts sign-in "
                                   "from this address is locked for %(minutes)s minutes.")
                           % {"minutes": cool_off_minutes()})
        elif not local_sign_in_allowed(user):
            # The municipality signs its staff in through its own identity provider (ADR 0080).
            logger.warning("staff password sign-in refused: municipality uses its own identity provider")
            form.add_error(None, _("Your municipality signs staff in through its own login. Use "
                                   "'Staff sign-in through the municipality' on your municipality's login page."))
        else:
            request.session.cycle_key()
            request.session[PENDING_KEY] = {"user_id": user.pk, "at": time.time(), "next": _safe_next(request)}
            return redirect("accounts:staff_second_factor")
    return render(request, "accounts/staff_login.html", {"form": form, "next": _safe_next(request)},
                  status=400 if form.is_bound else 200)


def _pending_user(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, None
    user = get_user_model().objects.filter(pk=pending["user_id"], is_active=True).first()
    return user, pending


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@sensitive_variables()
@sensitive_post_parameters("token")
@never_cache
@require_http_methods(["GET", "POST"])
def staff_second_factor(request):
    user, pending = _pending_user(request)
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return redirect("accounts:staff_login")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="Jobunivers", confirmed=False)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            if enrolling:
                TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
                device.confirmed = True
            request.session.pop(PENDING_KEY, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            break_glass_record(user=user)
            return redirect(pending.get("next") or "accounts:home")
        # A wrong code counts as a failed sign-in for the lock-out too.
        user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
        if getattr(request, "axes_locked_out", False):
            request.session.pop(PENDING_KEY, None)
            return lockout_response(request)
        form.add_error("token", _("The code is wrong or has expired. Enter the code shown now."))
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context["qr_svg"] = _qr_svg(device.config_url)
        context["secret"] = _base32(device)
    return render(request, "accounts/staff_second_factor.html", context, status=400 if form.is_bound else 200)


def _base32(device) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


def is_exempt_from_second_factor(request) -> bool:
    """Demo personas (DEMO=1 only) and sign-ins through an identity provider that did its own 2FA."""
    if getattr(settings, "DEMO", False) and getattr(request.user, "is_demo", False):
        return True
    return request.session.get("jobunivers_auth_provider") in getattr(settings, "STAFF_IDP_PROVIDERS", ())
