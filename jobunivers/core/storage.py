"""Static files storage: whitenoise's compressed, hashed files, but a file missing from the
collected set (a stale `collectstatic`) is linked by its plain name and logged instead of failing
the page. Strict, every page using it answered 500 (the 404 page too) until collectstatic ran."""

from __future__ import annotations

import logging

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import FileSystemStorage
from whitenoise.middleware import WhiteNoiseMiddleware
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


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, asking the manifest before the storage whether a name is a collected file.

    At start-up WhiteNoise looks at every collected file and asks for the URL of its name without the
    hash part, to learn whether the file is a versioned (immutable) copy. For names that are no such
    file (it guesses "dkfds.min.map" from a source map's "dkfds.min.css.1d0ad4c4d51c.map") it expects
    the storage's ValueError; StaticStorage.url logs those as "missing: run collectstatic" instead,
    15 false alarms at every worker's start, which hid a real one. A name the manifest does not hold
    is answered here, quietly, as not versioned; a template's missing file is still logged."""

    def get_static_url(self, name):
        storage = staticfiles_storage
        hashed = getattr(storage, "hashed_files", None)
        if isinstance(hashed, dict) and storage.hash_key(storage.clean_name(name)) not in hashed:
            return None
        return super().get_static_url(name)
