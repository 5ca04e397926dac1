"""Benchmarks (`make bench`): production-like (DEBUG off), own database, tasks eager.

BENCH_DATABASE_URL picks the database (default: SQLite file in var/bench/).
"""

import os

import dj_database_url

from .base import *  # noqa: F403
from .base import SQLITE_OPTIONS, VAR_DIR, postgres_options

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
# As in production (base.py): persistent connections and the same SQLite options.
DATABASES = {"default": dj_database_url.parse(_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = postgres_options()
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
