"""Session rules for staff: a verified second factor, and an idle time-out set per municipality."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from jobunivers.tenancy.selectors import settings_for

from .staff import SECOND_FACTOR_ROLES, is_exempt_from_second_factor

LAST_SEEN_KEY = "jobunivers_last_seen"


class StaffSessionMiddleware:
    """After tenancy's MembershipMiddleware and django-otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            membership = getattr(request, "membership", None)
            staff_here = membership is not None and membership.role in SECOND_FACTOR_ROLES
            if (getattr(settings, "STAFF_REQUIRE_SECOND_FACTOR", True) and not is_exempt_from_second_factor(request)
                    and not (hasattr(user, "is_verified") and user.is_verified())
                    and staff_here):
                logout(request)
                messages.error(request, _("Staff must sign in with a second factor."))
                return redirect("accounts:staff_login")
            if staff_here and membership.municipality_id is not None:
                timeout = settings_for(membership.municipality_id).idle_session_timeout_minutes * 60
                now = time.time()
                last_seen = request.session.get(LAST_SEEN_KEY)
                if isinstance(last_seen, int | float) and now - last_seen > timeout:
                    logout(request)
                    messages.info(request, _("You were signed out after a period without activity."))
                    return redirect("accounts:staff_login")
                if not isinstance(last_seen, int | float) or now - last_seen > 30:
                    request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
