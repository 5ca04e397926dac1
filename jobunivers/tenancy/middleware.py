"""Resolve the municipality from the URL prefix (/<slug>/...), see docs/adr/0002.

The prefix is moved into the script prefix, so `reverse()` and `{% url %}`
inside a municipality's pages produce that municipality's URLs without every
view passing the slug around, and the tenant context is set for the request.
"""

from __future__ import annotations

from django.urls import get_script_prefix, set_script_prefix

from jobunivers.core.context import tenant_context

from .permissions import roles_remembered
from .selectors import membership_among, memberships_of, municipality_id_for_slug

# First path segments that are never municipality slugs.
RESERVED_PREFIXES = frozenset(
    {"static", "media", "admin", "api", "platform", "i18n", "vendor", "employer", "saml2", "oidc",
     "accounts", "health", "metrics", "favicon.ico", "robots.txt", "sw.js", "pages"}
)


class MunicipalityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.municipality_id = None
        request.municipality = None
        path = request.path_info
        segment, _, rest = path.lstrip("/").partition("/")
        municipality_id = None
        if segment and segment not in RESERVED_PREFIXES:
            municipality_id = municipality_id_for_slug(segment)
        if municipality_id is None:
            with tenant_context(None):
                return self.get_response(request)

        from .selectors import get_municipality

        request.municipality_id = municipality_id
        request.municipality = get_municipality(municipality_id=municipality_id)
        previous_prefix = get_script_prefix()
        set_script_prefix(previous_prefix.rstrip("/") + f"/{segment}/")
        request.path_info = "/" + rest
        try:
            with tenant_context(municipality_id):
                return self.get_response(request)
        finally:
            set_script_prefix(previous_prefix)


class MembershipMiddleware:
    """Attach the membership (and so the role) that applies to this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        memberships = list(memberships_of(user)) if getattr(user, "is_authenticated", False) else []
        request.membership = membership_among(memberships, request.municipality_id)
        request.role = request.membership.role if request.membership else None
        # The permission checks of the views, selectors and services below ask roles_of about this user
        # several times a page: answered from the memberships just read.
        with roles_remembered(user, memberships, municipality_ids=[request.municipality_id]):
            return self.get_response(request)


def logo_origin(logo_url: str) -> str | None:
    """The CSP source of a theme's logo: its https origin (logo addresses are https only), else None."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(logo_url or "")
    except ValueError:
        return None
    if parts.scheme != "https" or not parts.hostname or any(c in parts.netloc for c in " ;,'\""):
        return None
    return f"https://{parts.netloc}"


class ThemeLogoCspMiddleware:
    """Lets a municipality's page load its own logo from another host: adds the logo's https origin
    to the page's img-src (django-csp's per-response update), for that municipality's HTML pages only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        municipality = getattr(request, "municipality", None)
        if municipality is None or not response.get("Content-Type", "").startswith("text/html"):
            return response
        theme = getattr(municipality, "theme", None)
        origin = logo_origin(theme.logo_url) if theme is not None else None
        if origin:
            for name in ("_csp_update", "_csp_update_ro"):  # the enforced and the report-only policy
                update = dict(getattr(response, name, None) or {})
                update["img-src"] = [*update.get("img-src", []), origin]
                setattr(response, name, update)
        return response
