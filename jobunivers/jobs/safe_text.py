"""How stored posting text is shown: safe links and capped descriptions.

No import of the jobs models: `models` (properties on JobPosting) and `validation` (the import
checks) both use these, so neither imports the other lazily (no import cycle inside jobs).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

DESCRIPTION_MAX_CHARS = 100_000  # about 100 kB of text; real ads are a few thousand characters
SAFE_SCHEMES = ("http", "https", "mailto")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_url(value: str | None) -> str:
    """The value when it is an http(s) address with a host or a mailto: link, else "" (never javascript:)."""
    if not value or not isinstance(value, str) or CONTROL.search(value) or " " in value.strip():
        return ""
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme not in SAFE_SCHEMES:
        return ""
    if scheme in ("http", "https") and not parts.hostname:
        return ""
    if scheme == "mailto" and not parts.path:
        return ""
    return value.strip()


def shown_description(value: str | None) -> str:
    """At most DESCRIPTION_MAX_CHARS of a description, whatever was stored."""
    value = value or ""
    if len(value) <= DESCRIPTION_MAX_CHARS:
        return value
    return value[:DESCRIPTION_MAX_CHARS].rstrip() + " …"
