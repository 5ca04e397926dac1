"""Production: PostgreSQL, Redis, Celery workers and beat, N stateless web processes.

Refuses to start with DEBUG, the default secret key or demo login.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEFAULT_SECRET_KEY, env_bool, logging_config

DEBUG = env_bool("DEBUG", False)
DEMO = env_bool("DEMO", False)
SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)


def check_production_settings(*, debug: bool, demo: bool, secret_key: str) -> None:
    if debug:
        raise ImproperlyConfigured("DEBUG must be off in production.")
    if demo:
        raise ImproperlyConfigured("DEMO login can never be enabled in production.")
    if secret_key == DEFAULT_SECRET_KEY or len(secret_key) < 40:
        raise ImproperlyConfigured("Set SECRET_KEY to a long random value in production.")


check_production_settings(debug=DEBUG, demo=DEMO, secret_key=SECRET_KEY)

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# One JSON object a line for the log collector unless LOG_FORMAT says otherwise (docs/operations-metrics.md).
LOG_FORMAT = (os.environ.get("LOG_FORMAT") or "json").strip().lower()
LOGGING = logging_config(LOG_FORMAT)
# Probes and the Prometheus scrape may talk plain HTTP to the web process inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]
