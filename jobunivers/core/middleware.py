"""Request-wide rules of the shared kernel: a cap on request bodies, and no caching of signed-in pages."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _


def too_large_response(request):
    """413 with a clear Danish page (JSON on the API)."""
    limit_mb = max(1, settings.MAX_REQUEST_BODY_BYTES // (1024 * 1024))
    message = _("What you sent is too large. The limit is %(limit)s MB; send less at a time, or a smaller file.") % {
        "limit": limit_mb}
    path = request.path_info
    if path.startswith("/api/") or "/api/" in path:
        return JsonResponse({"detail": message}, status=413)
    return render(request, "413.html", {"message": message}, status=413)


class RequestBodyLimitMiddleware:
    """Refuse a body whose declared length is over settings.MAX_REQUEST_BODY_BYTES before anything reads it.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE caps form fields only, not uploaded files; this caps the whole
    body (a CV upload included). Runs before any view or CSRF check reads request.POST.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            length = -1
        if length < 0:
            return render(request, "400.html", status=400)
        if length > settings.MAX_REQUEST_BODY_BYTES:
            return too_large_response(request)
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages for a signed-in user may hold personal data: no browser or proxy may keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response
