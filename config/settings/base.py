"""Settings shared by every environment.

Deployment settings come from the environment (see .env.example); municipal
policy lives in the database (tenancy.MunicipalitySettings).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("JOBUNIVERS_VAR_DIR", BASE_DIR / "var"))
# Reference data (postcodes, municipalities, ESCO, job ads) is read from here,
# never copied into the repository.
REFERENCE_DATA_DIR = Path(os.environ.get("JOBUNIVERS_REFERENCE_DATA", BASE_DIR.parent / "shared" / "data"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEFAULT_SECRET_KEY = "insecure-development-key-change-me"  # noqa: S105 - refused in production
SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
# DEMO=1 enables demo personas on the start page. Production settings refuse it.
DEMO = env_bool("DEMO", False)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",  # behind TOTP and for operators only: accounts.admin_site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # Staff second factor (TOTP) and lock-out after failed sign-ins (accounts, ADR 0011).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    # Our apps, lowest layer first (see tests/architecture/test_boundaries.py).
    "jobunivers.core",
    "jobunivers.tenancy",
    "jobunivers.accounts",
    "jobunivers.audit",
    "jobunivers.taxonomy",
    "jobunivers.jobs",
    "jobunivers.citizens",
    "jobunivers.employers",
    "jobunivers.matching",
    "jobunivers.segmentation",
    "jobunivers.notifications",
    "jobunivers.dialogue",
    "jobunivers.caseworker",
    "jobunivers.availability",
    "jobunivers.assistant",
    "jobunivers.booking",
    "jobunivers.marketplace",
    "jobunivers.agreements",
    "jobunivers.advice",
    "jobunivers.learning",
    "jobunivers.coffee",
    "jobunivers.groups",
    "jobunivers.internships",
    "jobunivers.feedback",
    "jobunivers.journeys",
    "jobunivers.analytics",
    "jobunivers.backup",  # operator commands: backup, restore, backup_keys (docs/operations.md)
    "jobunivers.observability",  # metrics endpoint and task failure counts (ADR 0081)
]

MIDDLEWARE = [
    # First: every log line after it, and the tasks the request enqueues, carry the request id.
    "jobunivers.core.request_id.RequestIdMiddleware",
    # Request latency per view (django-prometheus) and database time per view (core.metrics), ADR 0081.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "jobunivers.core.metrics.DatabaseTimeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "jobunivers.core.storage.StaticFilesMiddleware",  # WhiteNoise (see there)
    "jobunivers.accounts.ratelimit.RateLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jobunivers.tenancy.middleware.MunicipalityMiddleware",
    "jobunivers.tenancy.middleware.ThemeLogoCspMiddleware",  # the municipality's logo host in img-src
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "jobunivers.tenancy.middleware.MembershipMiddleware",
    "jobunivers.core.middleware.RequestBodyLimitMiddleware",
    "jobunivers.core.api.RepeatedQueryParameterMiddleware",
    "jobunivers.core.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jobunivers.accounts.middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so it sees the lock-out flag that the authentication backend sets.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock a user name *from one address* after 3 failed sign-ins (password or TOTP code), for a short
# cool-off only: an outsider elsewhere cannot lock a named caseworker out, and a lock-out ends by
# itself in minutes (a municipality administrator can also lift it, accounts.services.staff_lockout_release).
# Guessing from many addresses is slowed by the per-address rate limit on sign-in (accounts.ratelimit).
AXES_FAILURE_LIMIT = 3
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "jobunivers.accounts.staff.lockout_response"
AXES_VERBOSE = False
# Staff (job centre roles, administrators, operators) must have verified a TOTP device.
STAFF_REQUIRE_SECOND_FACTOR = env_bool("STAFF_REQUIRE_SECOND_FACTOR", True)
# Identity providers whose staff sign-in already includes a second factor (municipal SAML/OIDC).
STAFF_IDP_PROVIDERS: tuple[str, ...] = ("staff_saml", "staff_oidc")  # ADR 0080: NSIS Substantial or refused
OTP_TOTP_ISSUER = "Jobunivers"

# Request bodies: the whole body (uploads included) is capped by core.middleware.RequestBodyLimitMiddleware
# with a Danish 413 page; form fields alone by Django's own limits below (over them: the same 413 page).
MAX_REQUEST_BODY_BYTES = int(os.environ.get("MAX_REQUEST_BODY_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB of form fields (Django's default, stated)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files are streamed to a temporary file

# Rate limits (requests per minute per client address), cache-based (Redis in production).
RATE_LIMITS = {
    "login": int(os.environ.get("RATE_LIMIT_LOGIN_PER_MINUTE", "10")),
    "api": int(os.environ.get("RATE_LIMIT_API_PER_MINUTE", "120")),
}

# MitID through NemLog-in (accounts/contrib/nemlogin/config.py). Empty: MitID login is not offered.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
SAML_SP_ENTITY_ID = os.environ.get("SAML_SP_ENTITY_ID", "")
SAML_SP_KEY_FILE = os.environ.get("SAML_SP_KEY_FILE", "")
SAML_SP_CERT_FILE = os.environ.get("SAML_SP_CERT_FILE", "")
SAML_IDP_METADATA_FILE = os.environ.get("SAML_IDP_METADATA_FILE", "")
SAML_IDP_METADATA = ""
SAML_ACCEPTED_TIME_DIFF = int(os.environ.get("SAML_ACCEPTED_TIME_DIFF", "60"))
# MitID through a private broker over OpenID Connect (accounts/contrib/oidc/client.py). Empty: not offered.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_CPR_CLAIM = os.environ.get("OIDC_CPR_CLAIM", "cpr")
OIDC_LOA_CLAIM = os.environ.get("OIDC_LOA_CLAIM", "loa")
OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid")
# Origins that forms may lead to (the IdP's logout after our logout form).
IDP_FORM_ORIGINS = [o.strip() for o in os.environ.get("IDP_FORM_ORIGINS", "").split(",") if o.strip()]
# CPR numbers at rest (accounts/cpr.py). Production requires both; development derives them.
CPR_HASH_KEY = os.environ.get("CPR_HASH_KEY", "")
CPR_ENCRYPTION_KEY = os.environ.get("CPR_ENCRYPTION_KEY", "")
# Experiments in journeys assign arms from an HMAC of the citizen's id with this key (never the CPR number),
# so the arm cannot be guessed from outside; empty: derived from SECRET_KEY (journeys/assignment.py).
JOURNEY_ASSIGNMENT_KEY = os.environ.get("JOURNEY_ASSIGNMENT_KEY", "")

# Map tiles (jobs' map): one setting gives the Leaflet URL template the page loads and the origin the
# content security policy allows for images. A path ("/static/...") needs nothing beyond 'self'.
JOBS_MAP_TILE_URL = os.environ.get("JOBS_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
JOBS_MAP_ATTRIBUTION = os.environ.get(
    "JOBS_MAP_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
)


def tile_origin(url_template: str) -> list[str]:
    """The CSP source for a Leaflet tile URL template: its scheme and host, `{s}` as a wildcard subdomain."""
    from urllib.parse import urlsplit

    parts = urlsplit(url_template)
    if not parts.scheme or not parts.netloc:
        return []
    host = parts.netloc.replace("{s}.", "*.")
    return [f"{parts.scheme}://{host}"]


# Content Security Policy: scripts only from our own origin (HTMX, Leaflet are served from static).
# Inline style attributes are allowed (the theme colour is set on <body>); inline scripts are not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *tile_origin(JOBS_MAP_TILE_URL)],
        "connect-src": ["'self'"],
        # Interview practice plays back a recording the citizen just made; it lives in the page as a blob:
        # URL and is never uploaded (static/js/interview-recorder.js, ADR 0114).
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", *IDP_FORM_ORIGINS],
    }
}

# Django's form rendering in the design system's markup (core/forms.py, core/templates/forms/dkfds/).
FORM_RENDERER = "jobunivers.core.forms.DkfdsFormRenderer"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:landing"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jobunivers.core.context_processors.platform",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jobunivers.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
# WAL lets the web server, the worker and the scheduler share the file. Connections persist like
# PostgreSQL's (CONN_MAX_AGE above), so SQLite's page cache survives between requests; the cache
# (32 MiB) and memory-mapped reads (256 MiB) keep the job index and postings out of per-query copies.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;"
                    " PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)


def postgres_options() -> dict:
    """PostgreSQL's planner assumes spinning disks (random_page_cost 4): for a search word in 13,000
    of 50,000 postings it read every posting's text vector (41 ms) instead of the GIN index (25 ms).
    1.1 is the usual value for SSD and cloud disks; DATABASE_RANDOM_PAGE_COST sets another, and an
    empty value sends none (a pooler in transaction mode may refuse the `options` start-up
    parameter; then set it on the database: ALTER DATABASE … SET random_page_cost = 1.1)."""
    cost = os.environ.get("DATABASE_RANDOM_PAGE_COST", "1.1").strip()
    return {"options": f"-c random_page_cost={float(cost)}"} if cost else {}


if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), **postgres_options()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Memoised lookups go through this cache, never a module-level dict (ARCHITECTURE: no per-process
# structure that outside input can grow): locmem is bounded by MAX_ENTRIES (it culls a third when
# full), Redis by every entry's expiry and the server's maxmemory policy.
CACHE_MAX_ENTRIES = max(100, int(os.environ.get("CACHE_MAX_ENTRIES", "5000")))
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jobunivers",
              "OPTIONS": {"MAX_ENTRIES": CACHE_MAX_ENTRIES}}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "jobunivers_language"
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# One path for dates and numbers: Django's localisation with the named formats ("DATE_FORMAT",
# "SHORT_DATE_FORMAT", ...) in templates and django.utils.formats in Python; our few differences here.
FORMAT_MODULE_PATH = ["jobunivers.core.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # whitenoise's compressed, hashed files; a file missing from a stale collectstatic is linked by its
    # plain name and logged instead of turning every page (the 404 page too) into a 500.
    "staticfiles": {"BACKEND": "jobunivers.core.storage.StaticStorage"},
}
# Uploaded files (CVs) are private: never under STATIC or a public MEDIA_URL.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day; staff are also signed out when idle (per municipality)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Jobunivers <no-reply@jobunivers.localhost>")

# Background work. Embedded default: Celery over a file-system transport in
# var/broker, so `make run` needs no broker server. Production: Redis.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://localhost/")  # a host name: kombu warns on every start without one
# Redis hands an unacknowledged message (acks_late: the worker died) to another worker after this
# many seconds. It must exceed the longest task's run time, or a running task is started twice:
# fan-out batches take well under a minute, the slowest nightly tasks a few minutes. Not an hour
# (Redis's default), so a killed worker's fan-out is redone within minutes (the sweep is the backstop).
CELERY_VISIBILITY_TIMEOUT = max(1, int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "900")))
CELERY_BROKER_TRANSPORT_OPTIONS = (
    # Workers look for such messages every few seconds (kombu's default is every 10 x 10 s).
    {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
     "unacked_restore_interval": max(1, min(10, CELERY_VISIBILITY_TIMEOUT // 3)), "unacked_restore_throttle": 1}
    if not CELERY_BROKER_URL.startswith("filesystem")
    else {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "store_processed": False,
    }
)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Periodic tasks: each app adds its own in config/schedule.py.
# Cached vectors of query texts (search input, profile texts) are kept this many days.
EMBEDDING_QUERY_RETENTION_DAYS = max(1, int(os.environ.get("EMBEDDING_QUERY_RETENTION_DAYS", "90")))
# Postings per fan-out task (one scoring pass and one transaction each).
MATCHING_FANOUT_BATCH_SIZE = max(1, int(os.environ.get("MATCHING_FANOUT_BATCH_SIZE", "1000")))

# The metrics endpoint (/metrics, docs/operations-metrics.md) answers only a caller that sends
# `Authorization: Bearer <METRICS_TOKEN>` or whose address is in METRICS_ALLOWED_NETWORKS (comma-
# separated addresses or networks, e.g. 10.0.0.0/8). Neither set: it answers nobody.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOWED_NETWORKS = [n.strip() for n in os.environ.get("METRICS_ALLOWED_NETWORKS", "").split(",") if n.strip()]

# Log lines: LOG_FORMAT=json writes one JSON object a line (production's default, for the log
# collector), plain a readable line (development). Both carry the request id (core.request_id) and
# are redacted by the formatter after formatting, tracebacks included (core.logging).
LOG_FORMAT = (os.environ.get("LOG_FORMAT") or "plain").strip().lower()
JSON_LOG_FIELDS = "%(levelname)s %(name)s %(message)s %(request_id)s %(task_id)s %(task_name)s"


def logging_config(log_format: str) -> dict:
    if log_format not in {"plain", "json"}:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {log_format!r}.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "redact_cpr": {"()": "jobunivers.core.logging.RedactCprFilter"},
            "strip_query": {"()": "jobunivers.core.logging.StripQueryStringFilter"},
            "no_client_error_tracebacks": {"()": "jobunivers.core.logging.NoTracebackForClientErrors"},
        },
        "formatters": {
            "plain": {"()": "jobunivers.core.logging.PlainFormatter",
                      "format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            "plain_with_ids": {"()": "jobunivers.core.logging.PlainFormatter",
                               "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
            "json": {"()": "jobunivers.core.logging.JsonFormatter", "fmt": JSON_LOG_FIELDS, "timestamp": True,
                     "rename_fields": {"levelname": "level", "name": "logger"}},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler",
                        "formatter": "json" if log_format == "json" else "plain_with_ids",
                        "filters": ["no_client_error_tracebacks", "redact_cpr"]},
            # runserver's request log: the request line without its query string.
            "requests": {"class": "logging.StreamHandler", "formatter": "json" if log_format == "json" else "plain",
                         "filters": ["strip_query", "redact_cpr"]},
        },
        "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            "django.server": {"handlers": ["requests"], "level": "INFO", "propagate": False},
            # pysaml2 logs whole assertions (names, CPR numbers) at INFO: never let them through.
            "saml2": {"level": "WARNING"},
            "saml2test": {"level": "WARNING"},
            # pysaml2 loads its XML schemas at start-up; xmlschema says so at INFO on every start.
            "xmlschema": {"level": "WARNING"},
        },
    }


LOGGING = logging_config(LOG_FORMAT)
# Celery workers keep the logging above (JSON lines with the task's request id) instead of their own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

NINJA_PAGINATION_PER_PAGE = 20

JOBUNIVERS_SITE_NAME = "Jobunivers"

# Assistant (issue 16): questions kept this many days (personal data stripped); the hand-off channel
# (the dialogue app's threads; assistant.handoff.LocalHandoffChannel is the fallback) and the working
# days a citizen is told to expect.
ASSISTANT_QUESTION_RETENTION_DAYS = max(1, int(os.environ.get("ASSISTANT_QUESTION_RETENTION_DAYS", "180")))
ASSISTANT_HANDOFF_CHANNEL = os.environ.get("ASSISTANT_HANDOFF_CHANNEL", "jobunivers.dialogue.handoff.DialogueHandoffChannel")
ASSISTANT_HANDOFF_WORKING_DAYS = 2

# Dialogue (threads between citizen and job centre): attachments are checked by content and capped
# (below MAX_REQUEST_BODY_BYTES, so the form can say so in Danish); one notice per thread per interval.
DIALOGUE_ATTACHMENT_MAX_BYTES = int(os.environ.get("DIALOGUE_ATTACHMENT_MAX_BYTES", str(8 * 1024 * 1024)))
DIALOGUE_NOTICE_INTERVAL_MINUTES = 30
# Optional rephrasing plug-in (jobunivers/assistant/generators): off unless a provider is named.
ASSISTANT_GENERATOR = os.environ.get("ASSISTANT_GENERATOR", "")
ASSISTANT_GENERATOR_URL = os.environ.get("ASSISTANT_GENERATOR_URL", "")
ASSISTANT_GENERATOR_MODEL = os.environ.get("ASSISTANT_GENERATOR_MODEL", "")

# Video meetings for booked conversations (jobunivers/booking/contrib/room): each booking gets a room
# under this base, e.g. a self-hosted Jitsi. A municipality may choose "pasted" (staff paste a link).
BOOKING_VIDEO_BASE_URL = os.environ.get("BOOKING_VIDEO_BASE_URL", "https://meet.jit.si/")
