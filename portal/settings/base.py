"""Settings shared by every environment.

Production-safe by default: no debug, no secret in the code. Everything that differs between machines
comes from the environment; the real services (PostgreSQL, Redis, an e-mail provider) switch on when
their variable is present and the embedded defaults (SQLite, the ORM task broker, the console mail
backend) apply otherwise.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

import dj_database_url
from csp.constants import NONCE

from portal.lean import leave_out_wagtail_api_v3

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_hours(name: str) -> float | None:
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    try:
        hours = float(value)
    except ValueError:
        hours = -1
    if not 0 <= hours < 10_000:
        raise ImproperlyConfigured(f"{name} must be a number of hours (e.g. 48), not {value!r}")
    return hours


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # The portal's own apps, one per domain.
    "core",
    "accounts",
    "home",
    "sources",
    "agenda",
    "kits",
    "community",
    "support",
    "stories",
    "newsletter",
    "search",
    # Wagtail and its translation layer.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts, e-mail, background tasks.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "anymail",
    "django_q",
    "csp",
    # Django.
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

# Not served by the portal; skipping it saves about a second of start-up and memory per worker.
leave_out_wagtail_api_v3(INSTALLED_APPS)

MIDDLEWARE = [
    # First: every log line of the request, and the response, carry its id.
    "core.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.PortalCSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffMfaMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A request blocked by @ratelimit(block=True) gets RATELIMIT_VIEW's clear 429 page, not a bare 403.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # A refusal a service raised (core.errors.ServiceError) and no view caught: its message and a 4xx.
    "core.middleware.ServiceErrorMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.site_chrome",
            ],
        },
    },
    {
        # Plain-text e-mails and their subjects: the same template folders without HTML escaping, so
        # "Zoé l'Ardéchoise & Cie" arrives as written (core.mail, accounts.adapter). HTML parts keep the
        # default engine above, which escapes.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "autoescape": False,
            "context_processors": ["django.template.context_processors.i18n"],
        },
    },
]

# Database: a SQLite file by default, anything dj-database-url understands with DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the task worker share the file.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is given (shared by every worker, needed for rate limits at scale),
# a per-process memory cache otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")


def redis_caches(url: str) -> dict:
    """The cache on Redis, failing open (core.cache): an outage slows pages down instead of failing them.
    Short socket timeouts: a Redis that hangs costs a page at most about a second, once per few seconds."""
    return {
        "default": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
        }
    }

# Background tasks (django-q2): the ORM broker by default, Redis with REDIS_URL.
Q_CLUSTER = {
    "name": "portal",
    "workers": int(os.environ.get("Q_WORKERS", "2")),
    "timeout": 300,
    "retry": 360,
    "max_attempts": 3,
    "catch_up": False,
    "save_limit": 500,
    "label": "Tâches de fond",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# Accounts.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "site_web_entreprise"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Transiscope] "
# Guessing is stopped per account (5 wrong passwords in 5 minutes locks that account's sign-in, whatever
# the address); the per-address limits are wide enough for an office or a training room behind one address.
ACCOUNT_RATE_LIMITS = {
    "login": "120/m/ip",
    "login_failed": "60/10m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Transiscope"
# When on, whoever reaches the admin or a team screen (accounts.permissions.requires_mfa) must set up
# two-factor authentication first. On by default in production settings.
PORTAL_ENFORCE_STAFF_MFA = env_bool("PORTAL_ENFORCE_STAFF_MFA", False)

# Languages: French is the source language of the interface and of the content.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# Static and uploaded files.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private-media"))
PRIVATE_STORAGE_OPTIONS = {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Unmoderated uploads (testimony photos, forum attachments): never under MEDIA_URL (core.uploads).
    "private": {"BACKEND": "core.uploads.PrivateFileSystemStorage", "OPTIONS": PRIVATE_STORAGE_OPTIONS},
}


def s3_storages(environ) -> dict:
    """The media storages on S3-compatible object storage (django-storages), from AWS_* variables.

    `default` (Wagtail images and renditions, documents) is public: objects are written public-read under
    `media/` and linked without signature (a CDN or the bucket's address, AWS_S3_CUSTOM_DOMAIN). `private`
    (what must not be public) is written private under `private/` (or in AWS_PRIVATE_STORAGE_BUCKET_NAME)
    and linked with a signed URL valid AWS_QUERYSTRING_EXPIRE seconds (default 600). A provider that refuses
    object ACLs (AWS buckets with "bucket owner enforced"): AWS_DEFAULT_ACL="" and a bucket policy making
    `media/*` readable instead.
    """
    common = {
        "bucket_name": environ["AWS_STORAGE_BUCKET_NAME"],
        "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": environ.get("AWS_S3_REGION_NAME") or None,
        "access_key": environ.get("AWS_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("AWS_SECRET_ACCESS_KEY") or None,
        "addressing_style": environ.get("AWS_S3_ADDRESSING_STYLE") or None,
        "signature_version": "s3v4",
        "file_overwrite": False,
    }
    public_acl = environ.get("AWS_DEFAULT_ACL", "public-read") or None
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "location": "media",
                "default_acl": public_acl,
                "querystring_auth": False,
                "custom_domain": environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
                "object_parameters": {"CacheControl": "max-age=86400"},
            },
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": environ.get("AWS_PRIVATE_STORAGE_BUCKET_NAME") or common["bucket_name"],
                "location": "private",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": int(environ.get("AWS_QUERYSTRING_EXPIRE", "600")),
                "custom_domain": None,
            },
        },
    }


if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES.update(s3_storages(os.environ))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
# Images people upload (testimony photos, forum attachments, the admin's images): refused beyond this many
# pixels before anything decodes them (a 144-megapixel PNG took 890 MB to draft).
PORTAL_MAX_IMAGE_PIXELS = int(os.environ.get("PORTAL_MAX_IMAGE_PIXELS", "40000000"))
WAGTAILIMAGES_MAX_IMAGE_PIXELS = PORTAL_MAX_IMAGE_PIXELS
STORIES_PHOTO_MAX_BYTES = 10 * 1024 * 1024

# E-mail: console by default, a file folder with EMAIL_FILE_PATH, any backend (anymail's included)
# with EMAIL_BACKEND. Provider credentials are read from ANYMAIL_* variables.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Transiscope <bonjour@transiscope.org>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if EMAIL_FILE_PATH
    else "django.core.mail.backends.console.EmailBackend",
)
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value for key, value in os.environ.items() if key.startswith("ANYMAIL_")
}

# Wagtail.
WAGTAIL_SITE_NAME = "Transiscope"
# Both admins sign people in through allauth, so two-factor authentication applies there too.
WAGTAILADMIN_LOGIN_URL = "/admin/login/"  # core.views.login_redirect: allauth's login, or a refusal
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "odp", "pdf", "pptx", "txt", "xlsx", "zip", "ics"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None

# Rate limits (django-ratelimit) rely on the cache above.
RATELIMIT_VIEW = "core.views.rate_limited"
# Behind reverse proxies: how many of ours append to X-Forwarded-For (0: none, REMOTE_ADDR is the client).
# Every rate limit keys on core.client_ip.client_ip, which reads it (see README, "Security").
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
RATELIMIT_IP_META_KEY = "core.client_ip.client_ip"
# While the cache is unreachable, rate limits stop counting rather than refuse every limited form.
RATELIMIT_FAIL_OPEN = env_bool("RATELIMIT_FAIL_OPEN", True)

# Outgoing HTTP requests (feeds, the map's API).
PORTAL_HTTP_USER_AGENT = os.environ.get(
    "PORTAL_HTTP_USER_AGENT", "TransiscopePortal/0.1 (+https://transiscope.org)"
)
PORTAL_HTTP_TIMEOUT = float(os.environ.get("PORTAL_HTTP_TIMEOUT", "20"))  # per network operation
# core.http: the whole fetch (retries included) ends by this many seconds, whatever the server does.
FETCH_DEADLINE = float(os.environ.get("FETCH_DEADLINE", "60"))
FETCH_MAX_BYTES = int(os.environ.get("FETCH_MAX_BYTES", str(50 * 1024 * 1024)))  # decompressed body
FETCH_RETRIES = int(os.environ.get("FETCH_RETRIES", "2"))
FETCH_RETRY_BACKOFF = float(os.environ.get("FETCH_RETRY_BACKOFF", "1"))  # seconds, doubled each retry
FETCH_CA_BUNDLE = os.environ.get("FETCH_CA_BUNDLE", "")  # certificate authorities (PEM); empty: certifi's
# Sources give the URLs the server fetches: loopback, private, link-local... addresses are refused unless
# this says otherwise (dev and test allow them, for local servers). The only way to allow them (issue 14).
FETCH_ALLOW_PRIVATE_ADDRESSES = env_bool("FETCH_ALLOW_PRIVATE_ADDRESSES", False)
GOGOCARTO_MAP_URL = os.environ.get("GOGOCARTO_MAP_URL", "https://transiscope.gogocarto.fr")

# Security headers that hold in every environment.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# Content-Security-Policy (django-csp, core.middleware.PortalCSPMiddleware). Scripts only from this site
# (and nonce-tagged inline ones); inline styles stay allowed (style attributes of form widgets and of
# Wagtail's responsive embeds); images from this site and the media storage; embedded videos from https
# sites; nothing may frame the portal except the agenda widget.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],  # the nonce appears only on pages that use one
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],  # + the origin of MEDIA_URL when absolute (added per request)
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "frame-src": ["'self'", "https:"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The admins (Wagtail, Django) write inline scripts and styles; Wagtail shows embed thumbnails and
# previews from other sites. Still no script from elsewhere, no plugin, no framing.
PORTAL_ADMIN_CSP = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", "https:"],
    "font-src": ["'self'", "data:"],
    "frame-ancestors": ["'self'"],  # Wagtail's page preview frames the site itself
}
PORTAL_PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), browsing-topics=()"
)

# LOG_FORMAT=json (production's default): one JSON object per line on stdout, with the request id.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django_q": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # One line per request (core.logging.RequestIdMiddleware): ACCESS_LOG=1, the default in production.
        "portal.access": {
            "handlers": ["console"],
            "level": "INFO" if env_bool("ACCESS_LOG", False) else "WARNING",
            "propagate": False,
        },
        # Wagtail queues its index updates as tasks, run at once; one INFO line per save is noise.
        "django_tasks": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

PORTAL_NAME = _("Transiscope")

# Operational choices of the apps, tunable per deployment (each app reads them with the same defaults).
SUPPORT_TEAM_EMAIL = os.environ.get("SUPPORT_TEAM_EMAIL", "accompagnement@transiscope.org")
SUPPORT_RETENTION_DAYS = int(os.environ.get("SUPPORT_RETENTION_DAYS", "365"))
SUPPORT_INACTIVITY_DAYS = int(os.environ.get("SUPPORT_INACTIVITY_DAYS", "365"))
SUPPORT_PARTNER_REPLY_DAYS = int(os.environ.get("SUPPORT_PARTNER_REPLY_DAYS", "7"))
COMMUNITY_TEAM_EMAIL = os.environ.get("COMMUNITY_TEAM_EMAIL", "communaute@transiscope.org")
SOURCES_MAX_CONCURRENT_CHECKS = int(os.environ.get("SOURCES_MAX_CONCURRENT_CHECKS", "3"))
# Unset: automatic newsletter drafts wait for an editor. A number: they leave that many hours after.
NEWSLETTER_AUTO_SEND_AFTER_HOURS = env_hours("NEWSLETTER_AUTO_SEND_AFTER_HOURS")
