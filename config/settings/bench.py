"""Benchmarks (`make bench`): production-like (DEBUG off), own database, tasks eager.

BENCH_DATABASE_URL picks the database (default: SQLite file in var/bench/).
"""

import os

import dj_database_url

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = False
DEMO = False
ALLOWED_HOSTS = ["*"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}  # type: ignore[no-redef]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
_url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{VAR_DIR / 'bench' / 'bench.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(_url)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
