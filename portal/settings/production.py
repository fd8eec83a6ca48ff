"""Production: base settings plus the HTTPS hardening that only makes sense behind TLS."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, MIDDLEWARE, SECRET_KEY, STORAGES, VAR_DIR, env_bool

# Keys that were once written in this repository or that a development machine generated: never in production.
KNOWN_SECRET_KEYS = {"dev-only-secret-key-not-for-production", "test-secret-key"}


def _check_secret_key(key: str) -> None:
    """Refuse to start with a missing, short, repetitive or known secret (it signs sessions and links)."""
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in the environment: 50 characters or more, random "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    dev_key_file = VAR_DIR / "dev-secret-key"
    dev_key = dev_key_file.read_text().strip() if dev_key_file.is_file() else ""
    if key in KNOWN_SECRET_KEYS or key == dev_key:
        raise ImproperlyConfigured("SECRET_KEY is a development key: set a production secret.")


_check_secret_key(SECRET_KEY)

# Whoever reaches the admin or a team screen must use two-factor authentication (issue 14); only an explicit
# PORTAL_ENFORCE_STAFF_MFA=0 turns it off.
PORTAL_ENFORCE_STAFF_MFA = env_bool("PORTAL_ENFORCE_STAFF_MFA", True)
# Read again here so no other settings module can have left it on: off unless the environment says so.
FETCH_ALLOW_PRIVATE_ADDRESSES = env_bool("FETCH_ALLOW_PRIVATE_ADDRESSES", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# A load balancer's health checks often speak plain HTTP to the instance.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Static files served by gunicorn itself through WhiteNoise (no separate file server to keep in step):
# hashed names cached for ten years ("immutable"), gzip copies made by collectstatic (Brotli too if the
# brotli package is installed).
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Right after SecurityMiddleware (HTTPS redirect, headers), before everything that reads the session.
_after = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE = [*MIDDLEWARE[:_after], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[_after:]]

# Logs: JSON lines on stdout with the request id, and one access line per request (gunicorn's own access
# log is off by default, WEB_ACCESS_LOG=1 turns it back on).
if os.environ.get("LOG_FORMAT", "json") == "json":
    LOGGING["handlers"]["console"]["formatter"] = "json"
if env_bool("ACCESS_LOG", True):
    LOGGING["loggers"]["portal.access"]["level"] = "INFO"

# Error reporting: Sentry (or a compatible service, e.g. GlitchTip) when SENTRY_DSN is set.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,  # no e-mail addresses, cookies or IPs of members sent away
    )
