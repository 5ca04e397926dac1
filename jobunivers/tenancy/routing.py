"""Reverse URLs for another municipality (or for national pages) from any request.

Inside a municipality's request `reverse()` already includes its prefix (see
middleware); these helpers are for links that cross that boundary.
"""

from django.urls import get_script_prefix, reverse


def _unprefixed(viewname: str, args=None, kwargs=None) -> str:
    path = reverse(viewname, args=args, kwargs=kwargs)
    current = get_script_prefix()
    return "/" + path[len(current):] if path.startswith(current) else path


def municipal_reverse(slug: str, viewname: str, *, args=None, kwargs=None) -> str:
    return f"/{slug}" + _unprefixed(viewname, args, kwargs)


def national_reverse(viewname: str, *, args=None, kwargs=None) -> str:
    return _unprefixed(viewname, args, kwargs)
