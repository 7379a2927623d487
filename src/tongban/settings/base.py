"""Tongban settings. Every environment variable is read here, once, and documented where it is read.

``TONGBAN_ENV`` picks the mode: ``dev`` (default; embedded SQLite, demo data allowed) or ``production``
(PostgreSQL expected; SECRET_KEY and TONGBAN_ALLOWED_HOSTS required; secure cookies, HSTS, TLS redirect).
``tongban settings`` lists every variable with its default.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tongban.settings import env

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/tongban
SOURCE_ROOT = PACKAGE_DIR.parent.parent  # the checkout (src/..)

TONGBAN_ENV = env.declare(
    "TONGBAN_ENV",
    doc="Mode: 'dev' (default) or 'production'. Production refuses to start without its secrets.",
    default="dev",
)
if TONGBAN_ENV not in {"dev", "production"}:
    raise ImproperlyConfigured(f"TONGBAN_ENV must be 'dev' or 'production', not {TONGBAN_ENV!r}")
IS_PRODUCTION = TONGBAN_ENV == "production"


def _var(name: str, **kwargs: Any) -> str | None:
    return env.declare(name, active_env=str(TONGBAN_ENV), **kwargs)


# --- Files -----------------------------------------------------------------------------------------
DATA_DIR = Path(
    _var(
        "TONGBAN_DATA_DIR",
        doc="Folder for the embedded SQLite database, uploads and collected static files.",
        default=str(SOURCE_ROOT / "var"),
    )
    or ""
).resolve()
SHARED_DATA_DIR = Path(
    _var(
        "TONGBAN_SHARED_DATA_DIR",
        doc="Folder holding the reference data (catalogs, holiday schedules, conformance vectors).",
        default=str(SOURCE_ROOT.parent / "shared" / "data"),
    )
    or ""
).resolve()

# --- Security --------------------------------------------------------------------------------------
SECRET_KEY = (
    _var(
        "SECRET_KEY",
        doc="Django's signing key (sessions, signed links). Required in production; 50+ random characters.",
        required_when="production",
        secret=True,
    )
    or "dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"
)
if IS_PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production")

DEBUG = env.as_bool(
    "TONGBAN_DEBUG",
    _var(
        "TONGBAN_DEBUG",
        doc="Django debug pages. Defaults to true in dev; production refuses true.",
        default="false" if IS_PRODUCTION else "true",
    ),
)
if IS_PRODUCTION and DEBUG:
    raise ImproperlyConfigured("TONGBAN_DEBUG must be false in production")

ALLOWED_HOSTS = env.as_list(
    _var(
        "TONGBAN_ALLOWED_HOSTS",
        doc="Comma-separated host names this deployment answers to. Required in production.",
        required_when="production",
    )
    or "127.0.0.1,localhost,[::1],testserver"
)
CSRF_TRUSTED_ORIGINS = env.as_list(
    _var(
        "TONGBAN_CSRF_TRUSTED_ORIGINS",
        doc="Comma-separated origins (https://host) allowed to POST forms, when behind a proxy.",
        default="",
    )
)
SITE_URL = (
    _var(
        "TONGBAN_SITE_URL",
        doc="Public base URL, used in links sent out (messages, QR codes, OIDC issuer).",
        default="http://127.0.0.1:8000",
    )
    or ""
).rstrip("/")

BEHIND_TLS_PROXY = env.as_bool(
    "TONGBAN_BEHIND_TLS_PROXY",
    _var(
        "TONGBAN_BEHIND_TLS_PROXY",
        doc="Trust X-Forwarded-Proto from the reverse proxy that terminates TLS.",
        default="true" if IS_PRODUCTION else "false",
    ),
)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = IS_PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SECURE_SSL_REDIRECT = IS_PRODUCTION
SECURE_HSTS_SECONDS = (
    env.as_int(
        "TONGBAN_HSTS_SECONDS",
        _var(
            "TONGBAN_HSTS_SECONDS",
            doc="Strict-Transport-Security max-age in production (default one year).",
            default="31536000",
        ),
    )
    if IS_PRODUCTION
    else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = IS_PRODUCTION
SECURE_HSTS_PRELOAD = IS_PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Database --------------------------------------------------------------------------------------
DATABASE_URL = (
    _var(
        "DATABASE_URL",
        doc="Database URL. Default: embedded SQLite in TONGBAN_DATA_DIR. Production: postgres://user:pass@host/db",
        default=f"sqlite:///{DATA_DIR / 'tongban.sqlite3'}",
    )
    or ""
)
DB_CONN_MAX_AGE = env.as_int(
    "TONGBAN_DB_CONN_MAX_AGE",
    _var(
        "TONGBAN_DB_CONN_MAX_AGE",
        doc="Seconds a PostgreSQL connection is kept open between requests (persistent connections).",
        default="600",
    ),
)
DB_PREPARED_STATEMENTS = env.as_bool(
    "TONGBAN_DB_PREPARED_STATEMENTS",
    _var(
        "TONGBAN_DB_PREPARED_STATEMENTS",
        doc=(
            "PostgreSQL: bind parameters on the server and prepare statements a connection runs often (ADR 0009). "
            "Set false behind a transaction-mode pooler that does not keep prepared statements (pgbouncer < 1.21)."
        ),
        default="true",
    ),
)


def _database(url: str) -> dict[str, Any]:
    config: dict[str, Any] = dict(dj_database_url.parse(url))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers proceed while one writer commits; IMMEDIATE takes the write lock at BEGIN so
        # two writers queue on the busy timeout instead of failing with "database is locked" mid-way.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        config["CONN_MAX_AGE"] = 0
    elif config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_MAX_AGE"] = DB_CONN_MAX_AGE
        config["CONN_HEALTH_CHECKS"] = True
        config.setdefault("OPTIONS", {})
        config["ENGINE"] = "tongban.common.postgresql"  # Django's, with prepared statements (ADR 0009)
        if DB_PREPARED_STATEMENTS:
            config["OPTIONS"] |= {"server_side_binding": True, "prepare_threshold": 5}
    else:
        raise ImproperlyConfigured(f"DATABASE_URL: only SQLite and PostgreSQL are supported, not {url!r}")
    config["ATOMIC_REQUESTS"] = False
    return config


DATABASES = {"default": _database(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Applications ----------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    # Bounded contexts, lowest layer first (see docs/architecture.md).
    "tongban.common",
    "tongban.identity",
    "tongban.workcalendar",
    "tongban.catalog",
    "tongban.exchange",
    "tongban.cases",
    "tongban.licenses",
    "tongban.ratings",
    "tongban.supervision",
    "tongban.assistant",
    "tongban.portal",
    "tongban.workbench",
    "tongban.api",
]

MIDDLEWARE = [
    "tongban.common.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tongban.common.middleware.ApiErrorShapeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "tongban.urls"
WSGI_APPLICATION = "tongban.wsgi.application"
AUTH_USER_MODEL = "identity.User"
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

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
                "django.template.context_processors.i18n",
                "tongban.common.context_processors.site",
            ],
        },
    }
]

# Strong hashing for people's passwords (argon2); PBKDF2 kept so older hashes still verify.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time -----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files: pinned third-party assets come from frontend/node_modules (npm ci at set-up) -----
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
FRONTEND_MODULES = SOURCE_ROOT / "frontend" / "node_modules"
STATICFILES_DIRS = [("vendor/htmx", FRONTEND_MODULES / "htmx.org" / "dist")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
MEDIA_ROOT = DATA_DIR / "media"

# --- Background jobs (Django tasks API, database backend: same code on SQLite and PostgreSQL) --------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "notifications", "sweeps"],
    }
}
WORKER_STALE_AFTER_SECONDS = 120  # /healthz calls the worker or clock stale after this long without a beat
# The audit trail is spread over this many hash chains (by object), so writers rarely wait on one another.
# Changing it later is safe: each event records its own partition.
AUDIT_PARTITIONS = 64
MESSAGE_CHANNELS = env.as_list(
    _var(
        "TONGBAN_MESSAGE_CHANNELS",
        doc="Comma-separated channel classes that deliver copies of in-app messages (SMS, email gateways).",
        default="tongban.common.notifications.LogChannel",
    )
)
CASES_UPLOAD_SCANNER = (
    _var(
        "TONGBAN_UPLOAD_SCANNER",
        doc="Dotted path of the function that scans uploaded materials and raises to refuse one (e.g. a clamd client).",
        default="tongban.cases.uploads.signature_scanner",
    )
    or ""
)
CASE_WARNING_DAYS = env.as_int(
    "TONGBAN_CASE_WARNING_DAYS",
    _var(
        "TONGBAN_CASE_WARNING_DAYS",
        doc="A case turns yellow when this many working days or fewer remain before its due date (red: overdue).",
        default="3",
    ),
)
CASE_POSTCHECK_DAYS = env.as_int(
    "TONGBAN_POSTCHECK_DAYS",
    _var(
        "TONGBAN_POSTCHECK_DAYS",
        doc="告知承诺: working days after approval when the post-check (事后核查) of a commitment is due, for items "
        "whose guide sets none.",
        default="20",
    ),
)
RATING_CHANGE_DAYS = env.as_int(
    "TONGBAN_RATING_CHANGE_DAYS",
    _var(
        "TONGBAN_RATING_CHANGE_DAYS",
        doc="Days after rating within which a rater may change their rating, once.",
        default="7",
    ),
)
RATING_VISIT_LINK_HOURS = env.as_int(
    "TONGBAN_RATING_VISIT_LINK_HOURS",
    _var(
        "TONGBAN_RATING_VISIT_LINK_HOURS",
        doc="Hours a window visit's rating link (QR code) stays valid after the clerk records the visit.",
        default="24",
    ),
)

# --- Web server ------------------------------------------------------------------------------------
WEB_BIND = (
    _var("TONGBAN_BIND", doc="Address the web server listens on (tongban serve).", default="127.0.0.1:8000") or ""
)
WEB_WORKERS = env.as_int(
    "TONGBAN_WEB_WORKERS",
    _var(
        "TONGBAN_WEB_WORKERS",
        doc="Web worker processes for tongban serve, each with 2 threads (default: 2 per CPU core, measured best).",
        default=str(2 * (os.cpu_count() or 1)),
    ),
)

# --- Logging: structured, with request ids, never personal data ------------------------------------
LOG_LEVEL = (_var("TONGBAN_LOG_LEVEL", doc="Log level: DEBUG, INFO, WARNING, ERROR.", default="INFO") or "INFO").upper()
LOG_FORMAT = _var(
    "TONGBAN_LOG_FORMAT",
    doc="Log line format: 'json' (default in production) or 'text' (key=value, default in dev).",
    default="json" if IS_PRODUCTION else "text",
)
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "tongban.common.logging.RequestIdFilter"},
        "redact": {"()": "tongban.common.logging.PersonalDataRedactionFilter"},
    },
    "formatters": {
        "json": {"()": "tongban.common.logging.JsonFormatter"},
        "text": {"()": "tongban.common.logging.KeyValueFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
    },
}

# --- API -------------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50

# --- Identity (identity context: personal-data encryption, OIDC provider, login protection) ---------
PII_KEY = _var(
    "TONGBAN_PII_KEY",
    doc=(
        "Key for ID numbers and phones at rest: 32+ random bytes, base64 (python -c 'import os,base64;"
        "print(base64.b64encode(os.urandom(32)).decode())'). Encryption and look-up hash keys are derived from "
        "it. Required in production; dev derives one from SECRET_KEY. Changing it makes stored data unreadable."
    ),
    required_when="production",
    secret=True,
)
OIDC_RSA_KEY_PEM = _var(
    "TONGBAN_OIDC_RSA_KEY",
    doc=(
        "PEM RSA private key signing OpenID Connect ID tokens (RS256). Required in production; dev generates "
        "one into TONGBAN_DATA_DIR/oidc-signing-key.pem on first start."
    ),
    required_when="production",
    secret=True,
)
STAFF_TOTP_REQUIRED = env.as_bool(
    "TONGBAN_STAFF_TOTP_REQUIRED",
    _var(
        "TONGBAN_STAFF_TOTP_REQUIRED",
        doc="Staff must confirm a TOTP code (authenticator app) after their password before staff pages open.",
        default="true",
    ),
)
SMS_CHANNEL = _var(
    "TONGBAN_SMS_CHANNEL",
    doc=(
        "How one-time codes reach phones: 'outbox' (default; written to the SMS outbox table for a gateway "
        "worker, and readable in dev) or a dotted path to an SmsChannel subclass."
    ),
    default="outbox",
)


def _dev_oidc_key(path: Path) -> str:
    # Generated once per data folder so tokens stay verifiable across restarts; never used in production.
    if not path.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(pem)
        partial.chmod(0o600)
        os.replace(partial, path)  # atomic: two processes starting together both end with one valid key
    return path.read_text()


AUTHENTICATION_BACKENDS = ["tongban.identity.backends.PasswordBackend"]
MIDDLEWARE += ["tongban.identity.middleware.StaffSecondFactorMiddleware"]
INSTALLED_APPS.insert(INSTALLED_APPS.index("tongban.identity") + 1, "oauth2_provider")
# User passwords keep argon2; OAuth client secrets are random, so a fast hasher is safe and avoids a
# 0.5 s CPU cost per token request (../shared/docs/dependencies.md §6).
PASSWORD_HASHERS += ["tongban.identity.hashers.ClientSecretHasher"]
SESSION_ENGINE = "tongban.identity.sessions"  # database sessions that name their user (one query per request)
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER: dict[str, Any] = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": OIDC_RSA_KEY_PEM or _dev_oidc_key(DATA_DIR / "oidc-signing-key.pem"),
    "OIDC_ISS_ENDPOINT": SITE_URL,
    "PKCE_REQUIRED": True,
    # Follow every RFC 9700 (OAuth 2.0 Security BCP) recommendation: no implicit or password grants, no
    # tokens in query strings, tokens hashed at rest, refresh-token replay detection, `iss` in responses.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "CLIENT_SECRET_HASHER": "tongban_client_secret",
    "OAUTH2_VALIDATOR_CLASS": "tongban.identity.oidc.TongbanOAuth2Validator",
    "SCOPES": {
        "openid": "OpenID Connect sign-in",
        "profile": "Name and real-name level",
        "id_number": "Masked resident ID number",
    },
    "DEFAULT_SCOPES": ["openid"],
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"] if not IS_PRODUCTION else ["https"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": 600,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
}
# Login protection (per phone/ID and per client address, counted in the database so every web process agrees).
IDENTITY_LOGIN_MAX_FAILURES = 5  # then locked for IDENTITY_LOCKOUT_SECONDS
IDENTITY_LOCKOUT_SECONDS = 15 * 60
IDENTITY_OTP_PER_PHONE_PER_HOUR = 5
IDENTITY_OTP_PER_IP_PER_HOUR = 30
IDENTITY_LOGIN_PER_IP_PER_HOUR = 100
IDENTITY_OTP_TTL_SECONDS = 5 * 60
IDENTITY_OTP_MAX_ATTEMPTS = 5
# The population registry that confirms name + ID for real-name level 2 (a connector): a logged call through the
# data exchange to the population registry (the demo department-systems server in dev), which the person then sees
# under "who used my data". Tests without a server use "tongban.identity.registry.DemoPopulationRegistry".
IDENTITY_POPULATION_REGISTRY = "tongban.exchange.registry.ExchangePopulationRegistry"

# --- Catalog and search (catalog and assistant contexts) --------------------------------------------
CATALOG_DEMO_IMPORT = env.as_bool(
    "TONGBAN_CATALOG_DEMO_IMPORT",
    _var(
        "TONGBAN_CATALOG_DEMO_IMPORT",
        doc="Demo data imports both real catalogs from TONGBAN_SHARED_DATA_DIR (about 10 s); 'false' loads only "
        "the demo bundles and their demo items.",
        default="true",
    ),
)
SEARCH_RECHECK_SECONDS = float(
    _var(
        "TONGBAN_SEARCH_RECHECK_SECONDS",
        doc="How often (seconds) a process checks whether the search index or synonym table changed elsewhere.",
        default="2",
    )
    or "2"
)

# --- Exchange (exchange context) -------------------------------------------------------------------
EXCHANGE_DEMO_URL = (
    _var(
        "TONGBAN_EXCHANGE_DEMO_URL",
        doc=(
            "Base URL of the demo department-systems server (tongban exchange demo-server --port 8801). Data "
            "resources without their own base URL are fetched from here."
        ),
        default="http://127.0.0.1:8801",
    )
    or ""
).rstrip("/")
EXCHANGE_TIMEOUT_MS = env.as_int(
    "TONGBAN_EXCHANGE_TIMEOUT_MS",
    _var(
        "TONGBAN_EXCHANGE_TIMEOUT_MS",
        doc="Per-provider time budget (ms) of one exchange call, retries included; a slower provider is skipped.",
        default="800",
    ),
)
EXCHANGE_CACHE_SECONDS = env.as_int(
    "TONGBAN_EXCHANGE_CACHE_SECONDS",
    _var(
        "TONGBAN_EXCHANGE_CACHE_SECONDS",
        doc="Seconds a department record fetched for 'my page' is reused before it is fetched again (0: never).",
        default="60",
    ),
)
EXCHANGE_SUBJECT_RESOLVER = (
    _var(
        "TONGBAN_EXCHANGE_SUBJECT_RESOLVER",
        doc=(
            "Dotted path of the SubjectResolver that turns a user or enterprise into the key providers and the "
            "exchange log use (default: demo keys from the user account)."
        ),
        default="tongban.exchange.subjects.UserSubjectResolver",
    )
    or ""
)
EXCHANGE_BREAKER_FAILURES = 5  # consecutive failures of one provider that open its circuit breaker
EXCHANGE_BREAKER_COOLDOWN_SECONDS = 30  # then one trial call is let through
EXCHANGE_FETCH_THREADS = 32  # parallel provider calls per web process (my page)

# --- Licenses (licenses context) ---
LICENSE_SIGNING_KEY = (
    _var(
        "TONGBAN_LICENSE_SIGNING_KEY",
        doc=(
            "Issuer signing key for e-licenses: an Ed25519 private key as 64 hex characters (the 32-byte seed). "
            "Required in production; dev generates one into TONGBAN_DATA_DIR/license-signing-key. A new value is "
            "a key rotation: the old public key stays published and old licenses keep verifying."
        ),
        required_when="production",
        secret=True,
    )
    or ""
).strip()
if LICENSE_SIGNING_KEY and (
    len(LICENSE_SIGNING_KEY) != 64 or set(LICENSE_SIGNING_KEY.lower()) - set("0123456789abcdef")
):
    raise ImproperlyConfigured("TONGBAN_LICENSE_SIGNING_KEY must be 64 hex characters (an Ed25519 seed)")
LICENSE_CACHE_DIR = Path(
    _var(
        "TONGBAN_LICENSE_CACHE_DIR",
        doc="Folder where `tongban license verify` keeps the issuer keys and status lists for offline checks.",
        default=str(DATA_DIR / "license-cache"),
    )
    or ""
)
LICENSE_CACHE_MAX_AGE_SECONDS = env.as_int(
    "TONGBAN_LICENSE_CACHE_MAX_AGE_SECONDS",
    _var(
        "TONGBAN_LICENSE_CACHE_MAX_AGE_SECONDS",
        doc="Offline verification refreshes its cached status lists when online and they are older than this.",
        default="300",
    ),
)
LICENSE_SHOW_TOKEN_MINUTES = env.as_int(
    "TONGBAN_LICENSE_SHOW_TOKEN_MINUTES",
    _var(
        "TONGBAN_LICENSE_SHOW_TOKEN_MINUTES",
        doc="How long a 亮证 QR code shown by a holder stays valid (minutes).",
        default="5",
    ),
)
LICENSE_REMINDER_DAYS = 30  # holders are reminded this many days before a license expires
