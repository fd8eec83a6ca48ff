"""Production: base settings plus the HTTPS hardening that only makes sense behind TLS."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MIDDLEWARE, SECRET_KEY, STORAGES, VAR_DIR, env_bool

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
