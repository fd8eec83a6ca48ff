"""Production: base settings plus the HTTPS hardening that only makes sense behind TLS."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import PRIVATE_STORAGE_OPTIONS, SECRET_KEY, VAR_DIR, env_bool

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

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    # Unmoderated uploads (testimony photos, forum attachments): never under MEDIA_URL (core.uploads).
    "private": {"BACKEND": "core.uploads.PrivateFileSystemStorage", "OPTIONS": PRIVATE_STORAGE_OPTIONS},
}
