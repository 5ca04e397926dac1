"""Test settings: SQLite in memory unless DATABASE_URL says otherwise; tasks run eagerly."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import CELERY_BROKER_TRANSPORT_OPTIONS as _BASE_TRANSPORT_OPTIONS
from .base import DATABASES, MIDDLEWARE  # noqa: F401

DEBUG = False
DEMO = True
SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "1") == "1"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
# Redis (make test-celery) keeps base's visibility timeout options; the in-memory broker takes none.
CELERY_BROKER_TRANSPORT_OPTIONS = {  # type: ignore[no-redef]
    key: value for key, value in _BASE_TRANSPORT_OPTIONS.items() if CELERY_BROKER_URL.startswith("redis")
    and key in {"visibility_timeout", "unacked_restore_interval", "unacked_restore_throttle"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="jobunivers-test-media-"))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test",
                      "OPTIONS": {"MAX_ENTRIES": 5000}}}
ALLOWED_HOSTS = ["*"]

# Other apps' tests sign staff in with force_login; accounts' tests turn the second factor on.
STAFF_REQUIRE_SECOND_FACTOR = False
# The search catalogue's token is read after a write in this process (jobs.catalogue.written) and
# otherwise once a second in production: in tests only this process writes, so a test's queries
# never depend on how long it took (test_catalogue_freshness moves the clock itself).
JOBS_CATALOGUE_FRESHNESS = 3600
# Browser tests inject axe-core as an inline script: report CSP violations instead of blocking them.
from .base import CONTENT_SECURITY_POLICY as _ENFORCED_POLICY  # noqa: E402

CONTENT_SECURITY_POLICY_REPORT_ONLY = _ENFORCED_POLICY
CONTENT_SECURITY_POLICY = None  # type: ignore[assignment]
RATE_LIMITS = {"login": 1000, "api": 10000}
# A view marked audit.decorators.citizen_data_view that writes no access-log entry fails loudly in tests.
AUDIT_STRICT = True
