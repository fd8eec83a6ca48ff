"""Tests: fast hasher, locmem e-mail, tasks run synchronously, nothing leaves the machine."""

import os
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, Q_CLUSTER, VAR_DIR, env_bool

SECRET_KEY = "test-secret-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SITE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = SITE_URL
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
# Feeds are served by pytest-httpserver on 127.0.0.1; the tests of the refusal switch this off.
FETCH_ALLOW_PRIVATE_ADDRESSES = env_bool("FETCH_ALLOW_PRIVATE_ADDRESSES", True)
FETCH_RETRY_BACKOFF = 0.05
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A test database in a file, not in shared-cache memory: browser tests and the concurrency tests run a
    # second thread against it, and shared-cache memory databases answer "table is locked" where a file
    # with WAL and a busy timeout waits, as the real site does. pytest-xdist adds a suffix per worker.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
if not os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif os.environ.get("PYTEST_XDIST_WORKER"):
    # Each test clears the cache (rate-limit counters): parallel workers get a Redis database each so
    # one worker's clear() does not reset another's counters mid-test.
    _url = urlsplit(os.environ["REDIS_URL"])
    _base = int(_url.path.strip("/") or 0)
    _worker = int(os.environ["PYTEST_XDIST_WORKER"].removeprefix("gw") or 0)
    _location = urlunsplit(_url._replace(path=f"/{(_base - _worker) % 16}"))
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _location}}
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT", "/tmp/portal-test-media")  # noqa: S108
PRIVATE_STORAGE_OPTIONS = {"location": "/tmp/portal-test-private-media", "base_url": None}  # noqa: S108
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Unmoderated uploads (testimony photos, forum attachments): never under MEDIA_URL (core.uploads).
    "private": {"BACKEND": "core.uploads.PrivateFileSystemStorage", "OPTIONS": PRIVATE_STORAGE_OPTIONS},
}
