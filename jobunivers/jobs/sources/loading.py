"""Reading a feed from a file or a URL, with limits, so a scheduled sync cannot hang or fill memory."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import requests
from django.utils.translation import gettext as _

from jobunivers.core.errors import ValidationFailed

from .. import conf

MAX_BYTES = 200 * 1024 * 1024


def read_location(location: str, *, timeout: float | None = None) -> bytes:
    """The bytes at a local path or an http(s) URL."""
    parsed = urlparse(location)
    if parsed.scheme in {"http", "https"}:
        try:
            response = requests.get(location, timeout=timeout or conf.feed_timeout(),
                                    stream=True, headers={"Accept": "application/json, application/ld+json, text/csv, */*"})
            response.raise_for_status()
            chunks, size = [], 0
            for chunk in response.iter_content(65536):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise ValidationFailed(_("The feed is larger than %(mb)d MB.") % {"mb": MAX_BYTES // 1024 // 1024})
                chunks.append(chunk)
            return b"".join(chunks)
        except requests.RequestException as error:
            raise ValidationFailed(_("The feed could not be fetched: %(error)s") % {"error": error}) from error
    if parsed.scheme not in {"", "file"}:
        raise ValidationFailed(_("Only files and http(s) addresses can be read."))
    path = Path(parsed.path if parsed.scheme == "file" else location)
    if not path.is_file():
        raise ValidationFailed(_("File not found: %(path)s") % {"path": path})
    if path.stat().st_size > MAX_BYTES:
        raise ValidationFailed(_("The feed is larger than %(mb)d MB.") % {"mb": MAX_BYTES // 1024 // 1024})
    return path.read_bytes()
