"""A small fixed-window rate limiter on the shared cache: sign-in pages and the public API.

Counts requests per client address per minute. Sign-in counts only POSTs
(attempts); the API counts every request. Over the limit: 429 with Retry-After.
Behind a proxy, set the proxy to overwrite X-Forwarded-For and trust
REMOTE_ADDR only from it (Django's REMOTE_ADDR is used here).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

LOGIN_PATHS = (
    "/log-ind/medarbejder/", "/saml2/acs/", "/oidc/callback/", "/mine-data/slet/",
    # The operators' admin sign-in (password and TOTP code) counts against the same per-address limit.
    "/admin/login/",
)


def _bucket(request) -> str | None:
    path = request.path_info
    segments = path.split("/")
    if path.startswith("/api/") or (len(segments) > 2 and segments[2] == "api"):
        return "api"
    if request.method == "POST" and any(path.endswith(p) or path.startswith(p) for p in LOGIN_PATHS):
        return "login"
    return None


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bucket = _bucket(request)
        if bucket is not None:
            limit = settings.RATE_LIMITS.get(bucket)
            window = int(time.time() // 60)
            key = f"ratelimit:{bucket}:{request.META.get('REMOTE_ADDR', '')}:{window}"
            if cache.add(key, 1, timeout=61):
                count = 1
            else:
                try:
                    count = cache.incr(key)
                except ValueError:
                    cache.set(key, 1, timeout=61)
                    count = 1
            if limit is not None and count > limit:
                retry_after = str(60 - int(time.time()) % 60)
                message = _("Too many requests. Please wait a minute and try again.")
                if bucket == "api":
                    response = JsonResponse({"detail": message}, status=429)
                else:
                    response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
                response["Retry-After"] = retry_after
                return response
        return self.get_response(request)
