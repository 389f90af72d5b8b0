"""Supportal settings: one module, driven by the environment, runs on SQLite with nothing set.

Every number taken from the support policy is a setting named ``SUPPORTAL_*`` with the
policy's value as its default; app code reads them at call time through ``settings``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


DATA_DIR = Path(env_str("SUPPORTAL_DATA_DIR", str(PROJECT_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_from_data_dir(filename: str, make) -> str:
    """Read a secret kept in the data dir, creating it once (mode 0600) when missing."""
    path = DATA_DIR / filename
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(make())
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY") or _secret_from_data_dir(
    "secret_key", lambda: secrets.token_urlsafe(50)
)


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


# Comma-separated Fernet keys, newest first; older ones still decrypt (key rotation).
SUPPORTAL_FERNET_KEYS = env_list("SUPPORTAL_FERNET_KEYS", []) or [
    _secret_from_data_dir("fernet_key", _fernet_key)
]

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "channels",
    "csp",
    "ninja",  # serves the API docs page (Swagger UI) from our own static files
    "supportal.core",
    "supportal.accounts",
    "supportal.tickets",
    "supportal.sla",
    "supportal.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "supportal.core.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "supportal.urls"
WSGI_APPLICATION = None
ASGI_APPLICATION = "supportal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "supportal.core.context_processors.portal",
            ],
        },
    }
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'supportal.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"  # outside the web root; served only through views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Security headers. HSTS is off until the deployer says the site is HTTPS only.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env_str("SUPPORTAL_HUEY_NAME", "supportal"),
        "url": REDIS_URL,
        "immediate": False,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "supportal",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": False,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
if env_bool("SUPPORTAL_HUEY_IMMEDIATE", False):
    HUEY["immediate"] = True

EMAIL_URL = env_str("EMAIL_URL", "console://")
if EMAIL_URL.startswith("smtp://"):
    from urllib.parse import urlsplit

    _mail = urlsplit(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "127.0.0.1"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = _mail.username or ""
    EMAIL_HOST_PASSWORD = _mail.password or ""
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Supportal <support@supportal.localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Huey adds its own handler; without this each consumer line is printed twice.
    "loggers": {"huey": {"level": env_str("LOG_LEVEL", "INFO"), "propagate": False}},
}

# --- The policy, as settings (defaults are the policy's values) -------------------------
SUPPORTAL_PUBLIC_URL = env_str("SUPPORTAL_PUBLIC_URL")
SUPPORTAL_SUPPORT_ADDRESS = env_str("SUPPORTAL_SUPPORT_ADDRESS", "support@supportal.localhost")
SUPPORTAL_TICKET_PREFIX = env_str("SUPPORTAL_TICKET_PREFIX", "SUP")
SUPPORTAL_TICKET_NUMBER_START = env_int("SUPPORTAL_TICKET_NUMBER_START", 1000)
# Days a resolved ticket waits for the customer before it closes by itself.
SUPPORTAL_AUTO_CLOSE_DAYS = env_int("SUPPORTAL_AUTO_CLOSE_DAYS", 7)
# Days after close when a ticket's credentials are purged.
SUPPORTAL_CREDENTIAL_PURGE_DAYS = env_int("SUPPORTAL_CREDENTIAL_PURGE_DAYS", 30)
# "warn": untrained customers may file (the ticket is flagged); "block": they may not.
SUPPORTAL_TRAINING_REQUIREMENT = env_str("SUPPORTAL_TRAINING_REQUIREMENT", "warn")
SUPPORTAL_FIRST_RESPONSE_HOURS = env_int("SUPPORTAL_FIRST_RESPONSE_HOURS", 4)
SUPPORTAL_ATTACHMENT_MAX_BYTES = env_int("SUPPORTAL_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
SUPPORTAL_ATTACHMENT_MAX_COUNT = env_int("SUPPORTAL_ATTACHMENT_MAX_COUNT", 10)
SUPPORTAL_ATTACHMENT_TYPES = env_list(
    "SUPPORTAL_ATTACHMENT_TYPES",
    [
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "video/mp4",
        "video/webm",
        "video/quicktime",
        "application/pdf",
        "application/zip",
        "text/plain",
    ],
)
SUPPORTAL_IMAGE_MAX_PIXELS = env_int("SUPPORTAL_IMAGE_MAX_PIXELS", 40_000_000)
SUPPORTAL_API_TOKEN_DAYS = env_int("SUPPORTAL_API_TOKEN_DAYS", 30)
SUPPORTAL_PAGE_SIZE = env_int("SUPPORTAL_PAGE_SIZE", 25)

# SLA clocks, business hours and on-call paging
# "home": a ticket's clock runs on its organization's region; "follow_the_sun": on any region.
SUPPORTAL_SLA_COVERAGE = env_str("SUPPORTAL_SLA_COVERAGE", "home")
SUPPORTAL_SLA_WARNING_MINUTES = env_int("SUPPORTAL_SLA_WARNING_MINUTES", 60)
SUPPORTAL_NEXT_REPLY_HOURS = env_int("SUPPORTAL_NEXT_REPLY_HOURS", 8)
# Expert services turn-time: two business days of the region's working day.
SUPPORTAL_EXPERT_TURNAROUND_DAYS = env_int("SUPPORTAL_EXPERT_TURNAROUND_DAYS", 2)
SUPPORTAL_BUSINESS_DAY_HOURS = env_int("SUPPORTAL_BUSINESS_DAY_HOURS", 8)
SUPPORTAL_PAGE_REPEAT_MINUTES = env_int("SUPPORTAL_PAGE_REPEAT_MINUTES", 10)
SUPPORTAL_PAGE_REPEATS_BEFORE_ESCALATION = env_int("SUPPORTAL_PAGE_REPEATS_BEFORE_ESCALATION", 3)
SUPPORTAL_ONCALL_WEBHOOK_URL = env_str("SUPPORTAL_ONCALL_WEBHOOK_URL")
SUPPORTAL_ONCALL_WEBHOOK_SECRET = env_str("SUPPORTAL_ONCALL_WEBHOOK_SECRET")
SUPPORTAL_WEBHOOK_MAX_ATTEMPTS = env_int("SUPPORTAL_WEBHOOK_MAX_ATTEMPTS", 6)
SUPPORTAL_WEBHOOK_BACKOFF_SECONDS = env_int("SUPPORTAL_WEBHOOK_BACKOFF_SECONDS", 30)
