"""Static files storage: whitenoise's compressed, hashed files, but a file missing from the
collected set (a stale `collectstatic`) is linked by its plain name and logged instead of failing
the page. Strict, every page using it answered 500 (the 404 page too) until collectstatic ran."""

from __future__ import annotations

import logging

from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class StaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def url(self, name, force=False):
        try:
            return super().url(name, force)
        except ValueError:
            logger.warning("static file %s is missing from the collected files: run collectstatic", name)
            return FileSystemStorage.url(self, name)
