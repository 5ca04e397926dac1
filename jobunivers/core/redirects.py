"""The one check for URLs we redirect to or store as links: Django's url_has_allowed_host_and_scheme.

Hand-made checks such as `startswith("/") and not startswith("//")` let `/\\evil.example` through
(browsers read the backslash as a slash, so it is `//evil.example`, another site).
"""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_redirect(request, url: str | None) -> bool:
    """True for a URL on this site (relative, or absolute with this host and, on https, https)."""
    if not url:
        return False
    return url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure())


def safe_next(request, default: str = "", *, field: str = "next") -> str:
    """The `next` (POST first, then GET) when it stays on this site, else `default`."""
    candidate = request.POST.get(field) or request.GET.get(field) or ""
    return candidate if is_safe_redirect(request, candidate) else default


def is_local_path(url: str | None, *, max_length: int = 500) -> bool:
    """A stored link (notice, message) that can only lead within this site: a path from the root."""
    if not url or len(url) > max_length or not url.startswith("/"):
        return False
    return url_has_allowed_host_and_scheme(url, allowed_hosts=None)
