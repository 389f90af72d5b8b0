"""Supportal settings: one module, driven by the environment, runs on SQLite with nothing set.

One section per concern, each setting defined once. Every number taken from the support
policy is a setting named ``SUPPORTAL_*`` with the policy's value as its default; app code
reads them at call time through ``settings``. Variables are read through the ``env_*``
helpers below, which stop start-up on a value they cannot use (a mistyped choice, a word
where a number belongs) instead of falling back to the default.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Lets annotations subscript Django's generic classes at run time (admin.ModelAdmin[Ticket],
# forms.ModelForm[Ticket]); mypy (django-stubs) needs the model there.
django_stubs_ext.monkeypatch()

# --- Reading the environment ------------------------------------------------------------


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


def env_choice(name: str, default: str, choices: list[str]) -> str:
    """One of a fixed set of values. Anything else stops start-up with a message naming the
    variable and what it accepts: a typo never falls back silently to the default."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip()
    if value not in choices:
        allowed = ", ".join(repr(choice) for choice in choices)
        raise ImproperlyConfigured(f"{name} must be one of {allowed}; got {raw!r}.")
    return value


def env_time_zone(name: str, default: str) -> str:
    """An IANA time zone name. An unknown one stops start-up, as an unknown choice does,
    instead of failing later on the first page or job that reads the clock."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip()
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"{name} must be a time zone name such as 'America/Chicago'; got {raw!r}."
        ) from exc
    return value


def env_retired(name: str, instead: str) -> None:
    """A variable Supportal no longer reads: setting it stops start-up and says what to do."""
    if os.environ.get(name, "") != "":
        raise ImproperlyConfigured(f"{name} is no longer read: {instead}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


# --- Files on this machine and the secrets kept there ----------------------------------

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = Path(env_str("SUPPORTAL_DATA_DIR", str(PROJECT_DIR / "var"))).resolve()
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)


def _secret_from_data_dir(filename: str, make: Callable[[], str]) -> str:
    """Read a secret kept in the data dir, creating it once (mode 0600) when missing."""
    path = DATA_DIR / filename
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(make())
    return path.read_text().strip()


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


SECRET_KEY = env_str("SECRET_KEY") or _secret_from_data_dir(
    "secret_key", lambda: secrets.token_urlsafe(50)
)
# Comma-separated Fernet keys, newest first; older ones still decrypt (key rotation).
SUPPORTAL_FERNET_KEYS = env_list("SUPPORTAL_FERNET_KEYS", []) or [
    _secret_from_data_dir("fernet_key", _fernet_key)
]
# `supportal backup` writes its archives here.
SUPPORTAL_BACKUP_DIR = env_str("SUPPORTAL_BACKUP_DIR", str(DATA_DIR / "backups"))
# Data exports (ZIPs of an organization's or a person's data) are written here, 0600, and
# deleted this many days after they were made.
SUPPORTAL_EXPORT_DIR = env_str("SUPPORTAL_EXPORT_DIR", str(DATA_DIR / "exports"))
SUPPORTAL_EXPORT_KEEP_DAYS = env_int("SUPPORTAL_EXPORT_KEEP_DAYS", 7)

# --- The site: its address, the hosts it answers to, the proxies in front -------------

DEBUG = env_bool("DEBUG", False)
# The portal's public base URL, e.g. https://support.example.com: every link in mail is
# built on it (core/links.py), never on a request's Host header.
SUPPORTAL_PUBLIC_URL = env_str("SUPPORTAL_PUBLIC_URL")
# Links in mail when no public URL is set: this machine, on the port `supportal serve` uses.
SUPPORTAL_LOCAL_URL = f"http://127.0.0.1:{env_str('PORT') or '8000'}"
LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]


def _allowed_hosts(public_url: str) -> list[str]:
    """ALLOWED_HOSTS from the environment; without it, the public URL's host and this
    machine's own names. Never "*" once a public URL is set: the host is known, and a site
    that answers to any Host lets a request choose the links built from it."""
    if not public_url:
        return env_list("ALLOWED_HOSTS", LOCAL_HOSTS)
    host = urlsplit(public_url).hostname
    if not host:
        raise ValueError(
            f"SUPPORTAL_PUBLIC_URL must be an absolute URL like https://support.example.com, "
            f"got {public_url!r}"
        )
    hosts = env_list("ALLOWED_HOSTS", [f"[{host}]" if ":" in host else host, *LOCAL_HOSTS])
    if "*" in hosts:
        raise ValueError(
            "ALLOWED_HOSTS must name the hosts (not '*') when SUPPORTAL_PUBLIC_URL is set; "
            "leave it unset to answer to the public URL's host and this machine's names"
        )
    return hosts


ALLOWED_HOSTS = _allowed_hosts(SUPPORTAL_PUBLIC_URL)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Behind a reverse proxy: the proxies' addresses or networks (comma-separated, e.g.
# "10.0.0.10,10.0.1.0/24"). `supportal serve` has uvicorn take the client address and scheme
# from X-Forwarded-For / X-Forwarded-Proto only on connections from these; none by default,
# so the headers are ignored and every per-client limit counts the real peer (REMOTE_ADDR).
SUPPORTAL_TRUSTED_PROXIES = env_list("SUPPORTAL_TRUSTED_PROXIES", [])

# --- Applications, the request pipeline, templates --------------------------------------

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
    "supportal.kb",
    "supportal.chat",
    "supportal.billing",
    "supportal.intake",
    "anymail",
    "supportal.news",
    "supportal.status",
    "supportal.ideas",
    "supportal.workspace",
    "supportal.csat",
    "supportal.reports",
    "supportal.webhooks",
    "supportal.privacy",
    "supportal.imports",
    "supportal.sso",
    "supportal.demo",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    # Request bodies over the limits below are refused with 413 before they are read.
    "supportal.core.uploads.RequestBodyLimitMiddleware",
    # Benchmarks only: an X-Query-Count header on every response (make bench turns it on).
    *(
        ["supportal.core.query_count.QueryCountMiddleware"]
        if env_bool("SUPPORTAL_QUERY_COUNT_HEADER", False)
        else []
    ),
    "django.middleware.security.SecurityMiddleware",
    # A NUL character in a page's path, query string or form fields is a 400 (PostgreSQL text
    # cannot hold it); the API answers 422 itself.
    "supportal.core.middleware.NulCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cache-Control: private, no-store on every answer not marked public (static files
    # are answered above it).
    "supportal.core.middleware.PrivateCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The visitor's language from the language cookie or Accept-Language; a signed-in
    # person's own choice wins below (UserLocaleMiddleware).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the signed-in user read at once rather than lazily (its docstring).
    "supportal.accounts.middleware.SignedInUserMiddleware",
    # Auditors (read-only staff) get 403 on every write outside their own account.
    "supportal.accounts.read_only.ReadOnlyStaffMiddleware",
    "supportal.core.sessions.SessionTimeoutMiddleware",
    "supportal.api.idempotency.IdempotencyMiddleware",
    "supportal.core.middleware.UserLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a lockout into the 429 answer
]

ROOT_URLCONF = "supportal.urls"
WSGI_APPLICATION = None
ASGI_APPLICATION = "supportal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

# Languages: English and Spanish. A person's own choice (their account), else their
# region's language, else the browser's (Accept-Language), else English.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
# Each app keeps its own catalog in <app>/locale/ (core's also holds the JavaScript strings,
# domain djangojs); `make` compiles every .po into its .mo (`supportal compile_catalogs`).
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Database ----------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'supportal.sqlite3'}")
# A read replica of PostgreSQL for reports: reads inside core.db_router.replica_reads() go
# there; everything else reads and writes the primary (DATABASE_URL).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
# PostgreSQL connections come from a pool in each web/job process. Under ASGI every request
# runs in its own thread, so persistent per-thread connections (CONN_MAX_AGE) pile up until
# the server refuses clients; a pool (Django 5.1+, psycopg_pool) reuses a bounded few.
SUPPORTAL_DB_POOL_SIZE = env_int("SUPPORTAL_DB_POOL_SIZE", 10)
# Seconds a request waits for a pooled PostgreSQL connection (all busy, or the database
# restarting) before it fails with an error page.
SUPPORTAL_DB_POOL_TIMEOUT = env_int("SUPPORTAL_DB_POOL_TIMEOUT", 3)
# PostgreSQL binds query parameters itself and keeps each connection's frequent statements
# prepared, so the queue's and ticket page's queries are parsed and planned once per pooled
# connection instead of on every request (in-process at 1M tickets: the queue 27 → 14 ms).
# Turn off behind a pooler that cannot keep prepared statements (PgBouncer in transaction
# mode without max_prepared_statements).
SUPPORTAL_DB_PREPARED_STATEMENTS = env_bool("SUPPORTAL_DB_PREPARED_STATEMENTS", True)
# Executions of the same statement on a connection before it is prepared (psycopg).
SUPPORTAL_DB_PREPARE_THRESHOLD = env_int("SUPPORTAL_DB_PREPARE_THRESHOLD", 2)


def _database(url: str, *, primary: bool) -> dj_database_url.DBConfig:
    """One DATABASES entry from its URL, with the options above (the replica is PostgreSQL:
    the SQLite options are the primary's)."""
    database = dj_database_url.parse(url, conn_max_age=60)
    # A connection the database dropped (restart, failover, idle timeout) is found out and
    # replaced before a request uses it: the pool checks each connection it hands out, and
    # a persistent connection is checked at the start of each request.
    database["CONN_HEALTH_CHECKS"] = env_bool("SUPPORTAL_DB_HEALTH_CHECKS", True)
    if primary and database["ENGINE"] == "django.db.backends.sqlite3":
        database["CONN_MAX_AGE"] = 0
        database["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    elif database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        if SUPPORTAL_DB_POOL_SIZE:
            database["CONN_MAX_AGE"] = 0
            options["pool"] = {
                "min_size": 1,
                "max_size": SUPPORTAL_DB_POOL_SIZE,
                "timeout": SUPPORTAL_DB_POOL_TIMEOUT,
            }
        if SUPPORTAL_DB_PREPARED_STATEMENTS:
            options.update(
                server_side_binding=True, prepare_threshold=SUPPORTAL_DB_PREPARE_THRESHOLD
            )
    return database


DATABASES = {"default": _database(DATABASE_URL, primary=True)}
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = _database(DATABASE_REPLICA_URL, primary=False)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["supportal.core.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Threads per web process that write chat messages, each with its own database connection
# (0: Django's one database thread). Several let PostgreSQL commit messages of different
# chats side by side; SQLite has one writer at a time, so one thread there. On PostgreSQL
# each thread keeps one connection of the process's pool (SUPPORTAL_DB_POOL_SIZE).
SUPPORTAL_CHAT_DB_THREADS = env_int(
    "SUPPORTAL_CHAT_DB_THREADS",
    4 if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" else 1,
)
# Threads per web process that serve pages and the API (core/http_threads.py): requests
# beyond that many wait for a free thread. 0 serves through Django's ASGI handler (a new
# thread per request). On PostgreSQL each busy thread holds one pooled connection, so
# these threads and the chat's must fit in SUPPORTAL_DB_POOL_SIZE (a start-up check).
_pooled = any(isinstance(db.get("OPTIONS", {}).get("pool"), dict) for db in DATABASES.values())
SUPPORTAL_HTTP_THREADS = env_int(
    "SUPPORTAL_HTTP_THREADS",
    max(1, SUPPORTAL_DB_POOL_SIZE - SUPPORTAL_CHAT_DB_THREADS) if _pooled else 6,
)

# --- Redis: cache, sessions, jobs, WebSocket messages -----------------------------------
# Each has a single-machine fallback without Redis: files, the database, SQLite, memory.

REDIS_URL = env_str("REDIS_URL")
# One cache shared by every process: Redis when there is one, else files under DATA_DIR.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "supportal.core.redis_cache.RedisCache",
                          "LOCATION": REDIS_URL}}  # fmt: skip
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(DATA_DIR / "cache")}}  # fmt: skip
# Sessions live in the database; with Redis, reads come from the cache first (every logged-in
# request reads its session; writes still go to both, so a logout is seen by every process).
SESSION_ENGINE = "django.contrib.sessions.backends." + env_choice(
    "SUPPORTAL_SESSION_STORE",
    "cached_db" if REDIS_URL else "db",
    ["db", "cached_db", "cache", "file", "signed_cookies"],
)
# Background jobs (Huey; a consumer runs inside `supportal serve`) and the channel layer
# that carries WebSocket messages between processes.
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env_str("SUPPORTAL_HUEY_NAME", "supportal"),
        "url": REDIS_URL,
        "immediate": env_bool("SUPPORTAL_HUEY_IMMEDIATE", False),
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
        "immediate": env_bool("SUPPORTAL_HUEY_IMMEDIATE", False),
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# Reference data read on most pages (products, regions, the support team, plans, the
# incident banner) is kept this many seconds in each web process (core/refcache.py); a
# change made through another process shows after at most this long. 0 reads it every time.
SUPPORTAL_REFERENCE_CACHE_SECONDS = env_int("SUPPORTAL_REFERENCE_CACHE_SECONDS", 10)

# --- Security headers and cookies --------------------------------------------------------
# HSTS is off until the deployer says the site is HTTPS only.

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# No SECURE_PROXY_SSL_HEADER: uvicorn sets the scheme (and the client address) from
# X-Forwarded-Proto / X-Forwarded-For only for requests from SUPPORTAL_TRUSTED_PROXIES.
SECURE_PROXY_SSL_HEADER = None
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A visitor's language choice (the footer's switch), kept a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
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

# --- Logins, passwords, sessions, two-factor ---------------------------------------------

AUTH_USER_MODEL = "accounts.User"
# A password sign-in is refused when the organization requires its identity provider
# (SsoRequiredBackend stops the chain); ProviderBackend finishes an OpenID Connect sign-in.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling, below
    "supportal.sso.backends.SsoRequiredBackend",
    "supportal.accounts.backends.AccountBackend",
    "supportal.sso.backends.ProviderBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Passwords: at least this many characters, not like the email or name, not common or numeric.
SUPPORTAL_PASSWORD_MIN_LENGTH = env_int("SUPPORTAL_PASSWORD_MIN_LENGTH", 12)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["email", "name"]},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": SUPPORTAL_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes, database handler): this many failures for one email, or from
# one address, lock further attempts for the cool-off time. Read at call time.
SUPPORTAL_LOGIN_FAILURE_LIMIT = env_int("SUPPORTAL_LOGIN_FAILURE_LIMIT", 5)
SUPPORTAL_LOGIN_COOLOFF_MINUTES = env_int("SUPPORTAL_LOGIN_COOLOFF_MINUTES", 15)
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = "supportal.accounts.throttle.failure_limit"
AXES_COOLOFF_TIME = "supportal.accounts.throttle.cool_off"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "supportal.accounts.throttle.attempted_username"
AXES_CLIENT_IP_CALLABLE = "supportal.accounts.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "supportal.accounts.throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_SENSITIVE_PARAMETERS = ["password", "otp", "otp_token", "new_password1", "new_password2"]
AXES_VERBOSE = False
# Password reset: mails per email address and requests per client address, per hour. The page
# answers the same whether or not the address has an account, throttled or not.
SUPPORTAL_PASSWORD_RESET_PER_EMAIL_PER_HOUR = env_int(
    "SUPPORTAL_PASSWORD_RESET_PER_EMAIL_PER_HOUR", 3
)
SUPPORTAL_PASSWORD_RESET_PER_IP_PER_HOUR = env_int("SUPPORTAL_PASSWORD_RESET_PER_IP_PER_HOUR", 20)
PASSWORD_RESET_TIMEOUT = env_int("SUPPORTAL_PASSWORD_RESET_LINK_MINUTES", 60) * 60
# Sessions end after this long without a request, and this long after login whatever happens.
SUPPORTAL_SESSION_IDLE_MINUTES = env_int("SUPPORTAL_SESSION_IDLE_MINUTES", 60)
SUPPORTAL_SESSION_ABSOLUTE_HOURS = env_int("SUPPORTAL_SESSION_ABSOLUTE_HOURS", 12)
# Two-factor authentication (TOTP) for support staff; on unless DEBUG. Users marked otp_exempt
# (the demo logins) are not asked.
SUPPORTAL_STAFF_2FA_REQUIRED = env_bool("SUPPORTAL_STAFF_2FA_REQUIRED", not DEBUG)
# Minutes between a correct password and the second factor before the login starts over.
SUPPORTAL_2FA_PENDING_MINUTES = env_int("SUPPORTAL_2FA_PENDING_MINUTES", 5)
OTP_TOTP_ISSUER = env_str("SUPPORTAL_OTP_ISSUER", "Supportal")
# Single sign-on (mozilla-django-oidc; providers are rows in /admin/sso/). Where the sign-in
# comes back, and the claims asked for (a verified email links or makes the account).
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
OIDC_RP_SCOPES = "openid email profile"
OIDC_RP_SIGN_ALGO = "RS256"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"  # a path: mozilla-django-oidc does not reverse it
OIDC_TIMEOUT = env_int("SUPPORTAL_OIDC_TIMEOUT_SECONDS", 10)
# Days an emailed invitation to join an organization stays valid (its link works once).
SUPPORTAL_INVITATION_DAYS = env_int("SUPPORTAL_INVITATION_DAYS", 7)

# --- The API -----------------------------------------------------------------------------

SUPPORTAL_API_TOKEN_DAYS = env_int("SUPPORTAL_API_TOKEN_DAYS", 30)
# API creates with an Idempotency-Key header are answered once and replayed for this long.
SUPPORTAL_IDEMPOTENCY_KEY_HOURS = env_int("SUPPORTAL_IDEMPOTENCY_KEY_HOURS", 24)
# Regular expressions of the API paths (POST) that honour Idempotency-Key.
SUPPORTAL_IDEMPOTENT_API_PATHS = env_list(
    "SUPPORTAL_IDEMPOTENT_API_PATHS", [r"^/api/v1/tickets$", r"^/api/v1/tickets/\d+/replies$"]
)

# --- Request bodies, uploads and stored files --------------------------------------------

MEDIA_ROOT = DATA_DIR / "media"  # outside the web root; served only through views
# Attachments and their directories are readable by Supportal's user only (Django's default
# for files is 0644, whatever the umask).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
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
        "audio/mpeg",
        "audio/wav",
        "audio/x-wav",
    ],
)
SUPPORTAL_IMAGE_MAX_PIXELS = env_int("SUPPORTAL_IMAGE_MAX_PIXELS", 40_000_000)
# Request bodies larger than these are refused with 413 before they are read
# (supportal.core.uploads): multipart bodies (file uploads) may hold the allowed number of
# files at the per-file limit plus 1 MB of form fields; any other body 5 MB.
SUPPORTAL_REQUEST_MAX_BYTES = env_int("SUPPORTAL_REQUEST_MAX_BYTES", 5 * 1024 * 1024)
SUPPORTAL_UPLOAD_REQUEST_MAX_BYTES = env_int(
    "SUPPORTAL_UPLOAD_REQUEST_MAX_BYTES",
    SUPPORTAL_ATTACHMENT_MAX_BYTES * SUPPORTAL_ATTACHMENT_MAX_COUNT + 1024 * 1024,
)
DATA_UPLOAD_MAX_MEMORY_SIZE = SUPPORTAL_REQUEST_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# After a 413 the server reads and drops up to this much more of the body, for at most this
# long, before closing: closing with unread bytes resets the connection, and the client
# (which is usually still sending) would lose the 413 and see "connection reset".
SUPPORTAL_REFUSED_BODY_DRAIN_BYTES = env_int("SUPPORTAL_REFUSED_BODY_DRAIN_BYTES", 10 * 1024 * 1024)
SUPPORTAL_REFUSED_BODY_DRAIN_SECONDS = env_int("SUPPORTAL_REFUSED_BODY_DRAIN_SECONDS", 10)
# Each uploaded file is stored only while within SUPPORTAL_ATTACHMENT_MAX_BYTES, and only the
# first SUPPORTAL_ATTACHMENT_MAX_COUNT files of a request; the rest is dropped as it arrives.
FILE_UPLOAD_HANDLERS = ["supportal.core.uploads.LimitedUploadHandler"]
# Paths whose uploads are bounded by their own rules (signed mail webhooks).
SUPPORTAL_UPLOAD_EXEMPT_PATHS = env_list("SUPPORTAL_UPLOAD_EXEMPT_PATHS", [r"^/hooks/"])

# --- Static files ------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Outgoing mail and requests ----------------------------------------------------------

# smtp://user:password@host:port sends by SMTP; anything else prints mail to the console.
EMAIL_URL = env_str("EMAIL_URL", "console://")
if EMAIL_URL.startswith("smtp://"):
    _mail = urlsplit(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "127.0.0.1"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = _mail.username or ""
    EMAIL_HOST_PASSWORD = _mail.password or ""
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Supportal <support@supportal.localhost>")
# Notifications: attempts before an outbox row stays failed, and the first retry's wait
# (doubled for each further attempt).
SUPPORTAL_NOTIFY_MAX_ATTEMPTS = env_int("SUPPORTAL_NOTIFY_MAX_ATTEMPTS", 6)
SUPPORTAL_NOTIFY_BACKOFF_SECONDS = env_int("SUPPORTAL_NOTIFY_BACKOFF_SECONDS", 60)
# Outgoing requests (webhooks) refuse private, loopback, link-local and multicast addresses
# unless the host (name, IP or CIDR network) is listed here.
SUPPORTAL_OUTBOUND_ALLOWED_HOSTS = env_list("SUPPORTAL_OUTBOUND_ALLOWED_HOSTS", [])
SUPPORTAL_OUTBOUND_TIMEOUT_SECONDS = env_int("SUPPORTAL_OUTBOUND_TIMEOUT_SECONDS", 10)
# Outgoing webhooks: a delivery is tried this many times, the pause doubling from the
# first (30 s, 1 min, 2 min ... about an hour in all), each post waiting this long.
SUPPORTAL_WEBHOOK_MAX_ATTEMPTS = env_int("SUPPORTAL_WEBHOOK_MAX_ATTEMPTS", 8)
SUPPORTAL_WEBHOOK_BACKOFF_SECONDS = env_int("SUPPORTAL_WEBHOOK_BACKOFF_SECONDS", 30)
SUPPORTAL_WEBHOOK_TIMEOUT_SECONDS = env_int("SUPPORTAL_WEBHOOK_TIMEOUT_SECONDS", 10)

# --- Logging -----------------------------------------------------------------------------

LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Huey adds its own handler; without this each consumer line is printed twice.
    "loggers": {"huey": {"level": LOG_LEVEL, "propagate": False}},
}

# --- The policy: tickets (defaults are the policy's values) ------------------------------

SUPPORTAL_SUPPORT_ADDRESS = env_str("SUPPORTAL_SUPPORT_ADDRESS", "support@supportal.localhost")
SUPPORTAL_TICKET_PREFIX = env_str("SUPPORTAL_TICKET_PREFIX", "SUP")
SUPPORTAL_TICKET_NUMBER_START = env_int("SUPPORTAL_TICKET_NUMBER_START", 1000)
SUPPORTAL_PAGE_SIZE = env_int("SUPPORTAL_PAGE_SIZE", 25)
# Days a resolved ticket waits for the customer before it closes by itself.
SUPPORTAL_AUTO_CLOSE_DAYS = env_int("SUPPORTAL_AUTO_CLOSE_DAYS", 7)
# Automatic assignment (off by default): a new ticket goes round-robin to an agent of its
# region who knows the product, is at work and holds fewer open tickets than the cap (an
# agent's own cap, set on their assignment profile, comes first).
SUPPORTAL_AUTO_ASSIGN = env_bool("SUPPORTAL_AUTO_ASSIGN", False)
SUPPORTAL_AUTO_ASSIGN_CAP = env_int("SUPPORTAL_AUTO_ASSIGN_CAP", 15)
# The satisfaction survey's one-click links in the mail that says a ticket is resolved, and
# how many days they work.
SUPPORTAL_CSAT_SURVEY = env_bool("SUPPORTAL_CSAT_SURVEY", True)
SUPPORTAL_CSAT_LINK_DAYS = env_int("SUPPORTAL_CSAT_LINK_DAYS", 30)
# Days after close when a ticket's credentials are purged.
SUPPORTAL_CREDENTIAL_PURGE_DAYS = env_int("SUPPORTAL_CREDENTIAL_PURGE_DAYS", 30)
# The policy: "Training participation for our products is required for all users requesting
# support." "block": a customer who has not attended a training session for the product
# may neither file a ticket about it nor chat about it; "warn": they may (the ticket is
# flagged for staff).
SUPPORTAL_TRAINING_REQUIREMENT = env_choice(
    "SUPPORTAL_TRAINING_REQUIREMENT", "block", ["block", "warn"]
)
# Ticket search (tickets.search): the PostgreSQL text-search configuration of the ticket
# index (SQLite's FTS5 uses the Porter stemmer); run `supportal index_tickets` after a
# change. Result and saved-view counts stop at COUNT_CAP ("10,000+"): counting every match
# of a common word at a million tickets is what makes other help desks' searches slow.
SUPPORTAL_TICKET_SEARCH_LANGUAGE = env_str("SUPPORTAL_TICKET_SEARCH_LANGUAGE", "english")
SUPPORTAL_TICKET_SEARCH_COUNT_CAP = env_int("SUPPORTAL_TICKET_SEARCH_COUNT_CAP", 10_000)
SUPPORTAL_TICKET_SEARCH_QUERY_MAX_CHARS = env_int("SUPPORTAL_TICKET_SEARCH_QUERY_MAX_CHARS", 500)
# Saved views one agent may keep (each is counted on every search page).
SUPPORTAL_SAVED_VIEWS_MAX = env_int("SUPPORTAL_SAVED_VIEWS_MAX", 20)
# Tickets one bulk action (assign, status, tag) may change at once: a search page's worth.
SUPPORTAL_BULK_ACTION_MAX = env_int("SUPPORTAL_BULK_ACTION_MAX", 100)
# Days an emailed invitation to join an organization stays valid (its link works once).
SUPPORTAL_INVITATION_DAYS = env_int("SUPPORTAL_INVITATION_DAYS", 7)
# The policy's phone line for voicemail ("800-571-2138 ext. 4"), shown on /contact/.
SUPPORTAL_SUPPORT_PHONE = env_str("SUPPORTAL_SUPPORT_PHONE", "800-571-2138")
SUPPORTAL_SUPPORT_PHONE_EXTENSION = env_str("SUPPORTAL_SUPPORT_PHONE_EXTENSION", "4")
# Upcoming holidays /contact/ lists per region: those within this many days.
SUPPORTAL_CONTACT_HOLIDAY_DAYS = env_int("SUPPORTAL_CONTACT_HOLIDAY_DAYS", 90)
# "Questions that require input from our programming staff will take longer": the business
# days a customer is told to expect once a ticket is escalated to engineering (the policy
# gives no number; a week of business days is what we promise).
SUPPORTAL_ENGINEERING_TURNAROUND_DAYS = env_int("SUPPORTAL_ENGINEERING_TURNAROUND_DAYS", 5)

# --- The policy: SLA clocks, business hours and on-call paging ---------------------------

# Response targets are SLA policy rows (/admin/sla/slapolicy/; the "Default" row holds the
# policy's 4 business hours), one source of truth: the former variables stop start-up.
env_retired(
    "SUPPORTAL_FIRST_RESPONSE_HOURS",
    "edit the first-response target of the Default SLA policy in /admin/sla/slapolicy/.",
)
env_retired(
    "SUPPORTAL_NEXT_REPLY_HOURS",
    "edit the next-reply target of the Default SLA policy in /admin/sla/slapolicy/.",
)
# "home": a ticket's clock runs on its organization's region; "follow_the_sun": on any region.
SUPPORTAL_SLA_COVERAGE = env_choice("SUPPORTAL_SLA_COVERAGE", "home", ["home", "follow_the_sun"])
SUPPORTAL_SLA_WARNING_MINUTES = env_int("SUPPORTAL_SLA_WARNING_MINUTES", 60)
# Expert services turn-time: two business days of the region's working day.
SUPPORTAL_EXPERT_TURNAROUND_DAYS = env_int("SUPPORTAL_EXPERT_TURNAROUND_DAYS", 2)
SUPPORTAL_BUSINESS_DAY_HOURS = env_int("SUPPORTAL_BUSINESS_DAY_HOURS", 8)
SUPPORTAL_PAGE_REPEAT_MINUTES = env_int("SUPPORTAL_PAGE_REPEAT_MINUTES", 10)
SUPPORTAL_PAGE_REPEATS_BEFORE_ESCALATION = env_int("SUPPORTAL_PAGE_REPEATS_BEFORE_ESCALATION", 3)
SUPPORTAL_ONCALL_WEBHOOK_URL = env_str("SUPPORTAL_ONCALL_WEBHOOK_URL")
SUPPORTAL_ONCALL_WEBHOOK_SECRET = env_str("SUPPORTAL_ONCALL_WEBHOOK_SECRET")
SUPPORTAL_WEBHOOK_MAX_ATTEMPTS = env_int("SUPPORTAL_WEBHOOK_MAX_ATTEMPTS", 6)
SUPPORTAL_WEBHOOK_BACKOFF_SECONDS = env_int("SUPPORTAL_WEBHOOK_BACKOFF_SECONDS", 30)

# --- The policy: knowledge base (search, deflection, training videos) --------------------

# PostgreSQL text-search configuration (stemming language) of the KB index; SQLite's FTS5
# index uses the Porter stemmer (English). Run `supportal rebuild_kb_index` after a change.
SUPPORTAL_KB_SEARCH_LANGUAGE = env_str("SUPPORTAL_KB_SEARCH_LANGUAGE", "english")
SUPPORTAL_KB_SEARCH_RESULTS = env_int("SUPPORTAL_KB_SEARCH_RESULTS", 20)
# A search query longer than this many characters (a pasted error log) is cut to it and
# searched, never refused; only its first MAX_WORDS words count anyway.
SUPPORTAL_KB_SEARCH_QUERY_MAX_CHARS = env_int("SUPPORTAL_KB_SEARCH_QUERY_MAX_CHARS", 200)
SUPPORTAL_KB_SUGGESTIONS = env_int("SUPPORTAL_KB_SUGGESTIONS", 5)
# An opened suggestion not followed by a ticket from the same person within this many
# minutes counts as a deflection.
SUPPORTAL_KB_DEFLECTION_WINDOW_MINUTES = env_int("SUPPORTAL_KB_DEFLECTION_WINDOW_MINUTES", 30)
SUPPORTAL_KB_VIDEO_HOSTS = env_list(
    "SUPPORTAL_KB_VIDEO_HOSTS", ["www.youtube-nocookie.com", "www.youtube.com", "player.vimeo.com"]
)

# --- The policy: live chat ---------------------------------------------------------------
# (Its database threads are under "Database".)

# Which plans may chat ("HV and above") is each plan's "chat included" box in the admin.
env_retired(
    "SUPPORTAL_CHAT_MIN_PLAN",
    'tick "chat included" on the plans whose customers may chat, in /admin/accounts/plan/.',
)
SUPPORTAL_CHAT_MAX_PER_AGENT = env_int("SUPPORTAL_CHAT_MAX_PER_AGENT", 3)
# Chat is for questions answered within this many minutes; past it, convert to a ticket.
SUPPORTAL_CHAT_LIMIT_MINUTES = env_int("SUPPORTAL_CHAT_LIMIT_MINUTES", 15)
# Both sides are warned this many minutes into the chat that the limit is near.
SUPPORTAL_CHAT_WARNING_MINUTES = env_int("SUPPORTAL_CHAT_WARNING_MINUTES", 12)
# An agent may extend a chat past the limit, giving a reason (audited), by this much at a time.
SUPPORTAL_CHAT_EXTENSION_MINUTES = env_int("SUPPORTAL_CHAT_EXTENSION_MINUTES", 10)
# An agent console that has not sent a heartbeat for this long counts as gone.
SUPPORTAL_CHAT_PRESENCE_TIMEOUT_SECONDS = env_int("SUPPORTAL_CHAT_PRESENCE_TIMEOUT_SECONDS", 60)
SUPPORTAL_CHAT_HEARTBEAT_SECONDS = env_int("SUPPORTAL_CHAT_HEARTBEAT_SECONDS", 20)
# An agent's chats return to the waiting list when their console stays closed this long.
SUPPORTAL_CHAT_RECONNECT_GRACE_SECONDS = env_int("SUPPORTAL_CHAT_RECONNECT_GRACE_SECONDS", 10)
# Per WebSocket connection: at most this many messages in this many seconds.
SUPPORTAL_CHAT_RATE_MESSAGES = env_int("SUPPORTAL_CHAT_RATE_MESSAGES", 20)
SUPPORTAL_CHAT_RATE_SECONDS = env_int("SUPPORTAL_CHAT_RATE_SECONDS", 10)
SUPPORTAL_CHAT_MAX_MESSAGE_CHARS = env_int("SUPPORTAL_CHAT_MAX_MESSAGE_CHARS", 4000)
# An open socket (chat, console) checks that its session or embed link still holds before
# every frame it sends, when a logout, password change or deactivation asks, and at least
# this often (for changes made where nothing asked: the database by hand, another process
# on the in-memory channel layer).
SUPPORTAL_SOCKET_RECHECK_SECONDS = env_int("SUPPORTAL_SOCKET_RECHECK_SECONDS", 30)
# Signed tokens for the chat widget embedded in the product admin expire after this long.
SUPPORTAL_CHAT_TOKEN_MAX_AGE_SECONDS = env_int("SUPPORTAL_CHAT_TOKEN_MAX_AGE_SECONDS", 900)
# Origins (e.g. https://admin.pressero.example) allowed to frame the embedded widget.
SUPPORTAL_CHAT_EMBED_ORIGINS = env_list("SUPPORTAL_CHAT_EMBED_ORIGINS", [])

# --- The policy: billing, support vs professional services -------------------------------

# Free support before work becomes professional services, in minutes: the policy's
# "series of questions ... goes over 15 minutes", counted per organization over a window.
SUPPORTAL_FREE_SUPPORT_MINUTES = env_int("SUPPORTAL_FREE_SUPPORT_MINUTES", 15)
# The window the free minutes are counted over: "day" (the calendar day in the
# organization's region), "week" (Monday to Sunday there), "month", or "ticket" (each
# ticket on its own, the count before the policy fidelity review).
SUPPORTAL_FREE_SUPPORT_WINDOW = env_choice(
    "SUPPORTAL_FREE_SUPPORT_WINDOW", "day", ["day", "week", "month", "ticket"]
)
# Billed time is rounded to this increment: "up" or "nearest". Stated on every statement.
SUPPORTAL_BILLING_INCREMENT_MINUTES = env_int("SUPPORTAL_BILLING_INCREMENT_MINUTES", 15)
SUPPORTAL_BILLING_ROUNDING = env_choice("SUPPORTAL_BILLING_ROUNDING", "up", ["up", "nearest"])
SUPPORTAL_BILLING_CURRENCY = env_str("SUPPORTAL_BILLING_CURRENCY", "USD")
# Quarters of expert hours and statement months are read on the vendor's wall clock.
SUPPORTAL_VENDOR_TIME_ZONE = env_time_zone("SUPPORTAL_VENDOR_TIME_ZONE", "America/Chicago")
# Rates seed the work categories (rows managers edit afterwards); decimal strings.
SUPPORTAL_RATE_PS_ADMIN = env_str("SUPPORTAL_RATE_PS_ADMIN", "125.00")
SUPPORTAL_RATE_PS_TECHNICAL = env_str("SUPPORTAL_RATE_PS_TECHNICAL", "150.00")
SUPPORTAL_RATE_TRAINING = env_str("SUPPORTAL_RATE_TRAINING", "125.00")
SUPPORTAL_RATE_CALCULATOR_REPAIR_MIN = env_str("SUPPORTAL_RATE_CALCULATOR_REPAIR_MIN", "125.00")
SUPPORTAL_RATE_CALCULATOR_REPAIR_MAX = env_str("SUPPORTAL_RATE_CALCULATOR_REPAIR_MAX", "175.00")
# Accepted expert or professional-services work is due SUPPORTAL_EXPERT_TURNAROUND_DAYS
# business days after the customer accepts; staff are warned this many business minutes
# before the target (not in the policy: half a business day).
SUPPORTAL_TURN_TIME_WARNING_MINUTES = env_int("SUPPORTAL_TURN_TIME_WARNING_MINUTES", 240)
# Default for plans without their own terms: do unused expert hours carry over?
SUPPORTAL_EXPERT_HOURS_CARRY_OVER = env_bool("SUPPORTAL_EXPERT_HOURS_CARRY_OVER", False)
# Words in a new ticket that name an area where the policy says the free minutes are most
# often exceeded. They suggest a professional-services category to the agent; the ticket
# keeps its free minutes and the consent rule like any other.
SUPPORTAL_PS_KEYWORDS = env_list(
    "SUPPORTAL_PS_KEYWORDS",
    ["pricing calculator", "template setup", "api", "custom skinning", "custom skin", "dns"],
)
# Those of the words above whose work is at the technical rate (database, APIs, custom
# skinning, DNS the customer manages); the others suggest the admin-level rate.
SUPPORTAL_PS_TECHNICAL_KEYWORDS = env_list(
    "SUPPORTAL_PS_TECHNICAL_KEYWORDS", ["api", "custom skinning", "custom skin", "dns"]
)
# The warning a customer acknowledges before a calculator password is released. "{rates}"
# is replaced by the calculator-repair rates of the work category rows. Empty: the
# policy's warning (billing.calculator), in the reader's language.
SUPPORTAL_CALCULATOR_WARNING = env_str("SUPPORTAL_CALCULATOR_WARNING", "")

# --- The policy: email and voicemail intake (supportal.intake) ---------------------------

# The built-in SMTP listener for inbound mail: started by `supportal serve` when set.
SUPPORTAL_SMTP_PORT = env_int("SUPPORTAL_SMTP_PORT", 0) or None
# Mail larger than this is quarantined for staff (only its beginning is kept).
SUPPORTAL_EMAIL_MAX_BYTES = env_int("SUPPORTAL_EMAIL_MAX_BYTES", 30 * 1024 * 1024)
# Mails from one sender per hour before further ones are held for staff (stops mail loops).
SUPPORTAL_EMAIL_SENDER_LIMIT_PER_HOUR = env_int("SUPPORTAL_EMAIL_SENDER_LIMIT_PER_HOUR", 10)
# Mail from senders who have no account: "auto_reply" (point them to the portal) or "ignore".
SUPPORTAL_EMAIL_UNKNOWN_SENDERS = env_choice(
    "SUPPORTAL_EMAIL_UNKNOWN_SENDERS", "auto_reply", ["auto_reply", "ignore"]
)
# Authentication-Results headers to believe: the authserv-ids of your own receiving servers
# (comma-separated), which must remove such headers that arrive from outside. Empty: any
# header's failure still holds the mail, but no pass is believed. When set, mail from a
# customer opens a ticket only with dmarc=pass from one of them.
SUPPORTAL_EMAIL_AUTHSERV_IDS = env_list("SUPPORTAL_EMAIL_AUTHSERV_IDS", [])
# Product of tickets opened by email (slug); empty: the organization's first product.
SUPPORTAL_EMAIL_DEFAULT_PRODUCT = env_str("SUPPORTAL_EMAIL_DEFAULT_PRODUCT")
# IMAP mailbox polled by `supportal fetch_email` and every minute by the job consumer:
# imaps://user:password@imap.example.com/INBOX (empty: no polling).
SUPPORTAL_IMAP_URL = env_str("SUPPORTAL_IMAP_URL")
# Mailgun inbound webhook (/hooks/email/mailgun/inbound): the webhook signing key.
ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": env_str("MAILGUN_WEBHOOK_SIGNING_KEY")}
# Voicemail: Twilio's auth token signs the recording webhook.
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN")
# Hosts or IPs from which recordings may be fetched although private or loopback.
SUPPORTAL_RECORDING_FETCH_ALLOWED_HOSTS = env_list("SUPPORTAL_RECORDING_FETCH_ALLOWED_HOSTS", [])
# Seconds one fetch of a recording may take before it is tried again later.
SUPPORTAL_RECORDING_FETCH_TIMEOUT_SECONDS = env_int("SUPPORTAL_RECORDING_FETCH_TIMEOUT_SECONDS", 20)
# Hours a recording that cannot be fetched yet (refused connection, timeout, 404 while the
# provider stores it, 5xx) is tried again, every few minutes, before staff are told.
SUPPORTAL_RECORDING_RETRY_HOURS = env_int("SUPPORTAL_RECORDING_RETRY_HOURS", 24)

# --- The policy: news, status page and ideas board ---------------------------------------

SUPPORTAL_NEWS_FEED_ITEMS = env_int("SUPPORTAL_NEWS_FEED_ITEMS", 50)
# Days between two digests to one blog subscriber.
SUPPORTAL_NEWS_DIGEST_DAYS = env_int("SUPPORTAL_NEWS_DIGEST_DAYS", 7)
# Days a double opt-in confirmation link stays valid (news and status subscriptions).
SUPPORTAL_SUBSCRIPTION_CONFIRM_DAYS = env_int("SUPPORTAL_SUBSCRIPTION_CONFIRM_DAYS", 7)
# Confirmation mail anyone may ask for (status and news subscriptions), so throttled: at most
# this many mails to one address (per kind of subscription) per period...
SUPPORTAL_CONFIRMATION_MAILS_PER_ADDRESS = env_int("SUPPORTAL_CONFIRMATION_MAILS_PER_ADDRESS", 1)
SUPPORTAL_CONFIRMATION_PERIOD_HOURS = env_int("SUPPORTAL_CONFIRMATION_PERIOD_HOURS", 24)
# ...and at most this many requests from one client address per hour (answered the same).
SUPPORTAL_CONFIRMATION_REQUESTS_PER_CLIENT = env_int(
    "SUPPORTAL_CONFIRMATION_REQUESTS_PER_CLIENT", 10
)
SUPPORTAL_STATUS_PAGE_ID = env_str("SUPPORTAL_STATUS_PAGE_ID", "supportal")
SUPPORTAL_STATUS_PAGE_NAME = env_str("SUPPORTAL_STATUS_PAGE_NAME", "Supportal")
SUPPORTAL_STATUS_TIMEZONE = env_time_zone("SUPPORTAL_STATUS_TIMEZONE", "UTC")
SUPPORTAL_STATUS_HISTORY_DAYS = env_int("SUPPORTAL_STATUS_HISTORY_DAYS", 90)
SUPPORTAL_STATUS_PAST_DAYS = env_int("SUPPORTAL_STATUS_PAST_DAYS", 14)
# "Trending" ideas: distinct people asking within this many days.
SUPPORTAL_IDEAS_TREND_DAYS = env_int("SUPPORTAL_IDEAS_TREND_DAYS", 90)

# --- The policy: reports, dashboards and exports -----------------------------------------

# Weeks of history the staff dashboard shows unless the viewer picks another span.
SUPPORTAL_REPORTS_WEEKS = env_int("SUPPORTAL_REPORTS_WEEKS", 12)
# Rows fetched per database round trip while an export streams (memory stays flat).
SUPPORTAL_REPORTS_EXPORT_CHUNK = env_int("SUPPORTAL_REPORTS_EXPORT_CHUNK", 2000)
# Upper bounds, in business minutes, of the first-response histogram's buckets.
SUPPORTAL_REPORTS_RESPONSE_BUCKETS = [
    int(m)
    for m in env_list(
        "SUPPORTAL_REPORTS_RESPONSE_BUCKETS", ["15", "30", "60", "120", "240", "480", "960"]
    )
]
# Seconds the dashboard's figures are reused before they are computed again.
SUPPORTAL_REPORTS_CACHE_SECONDS = env_int("SUPPORTAL_REPORTS_CACHE_SECONDS", 300)
# The weekly email goes out from this weekday (0 = Monday) and hour, vendor time zone.
SUPPORTAL_REPORTS_WEEKLY_WEEKDAY = env_int("SUPPORTAL_REPORTS_WEEKLY_WEEKDAY", 0)
SUPPORTAL_REPORTS_WEEKLY_HOUR = env_int("SUPPORTAL_REPORTS_WEEKLY_HOUR", 7)
