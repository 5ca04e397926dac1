"""Re-authentication before sensitive actions (export, erasure): a sign-in within the last minutes.

    @municipal_view(*STAFF_ROLES)
    @recent_login_required()
    def citizen_export(request, citizen_id): ...

Staff are sent through the staff sign-in again (password and TOTP code), citizens through the login
page (MitID); both come back to the same address. Every login stamps the session (accounts.apps).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

AUTH_TIME_SESSION_KEY = "jobunivers_auth_at"
DEFAULT_MAX_AGE_SECONDS = 15 * 60


def recently_authenticated(request, max_age_seconds: int = DEFAULT_MAX_AGE_SECONDS) -> bool:
    auth_at = request.session.get(AUTH_TIME_SESSION_KEY)
    return isinstance(auth_at, int | float) and time.time() - auth_at <= max_age_seconds


def recent_login_required(max_age_seconds: int = DEFAULT_MAX_AGE_SECONDS) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.is_authenticated and recently_authenticated(request, max_age_seconds):
                return view(request, *args, **kwargs)
            from .staff import SECOND_FACTOR_ROLES

            role = getattr(request, "role", None)
            target = "accounts:staff_login" if role in SECOND_FACTOR_ROLES else "accounts:login"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")

        return wrapped

    return decorator
