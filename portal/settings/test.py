"""Tests: fast hasher, locmem e-mail, tasks run synchronously, nothing leaves the machine."""

import os

from .base import *  # noqa: F403
from .base import CACHES, Q_CLUSTER

SECRET_KEY = "test-secret-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SITE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = SITE_URL
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
if not os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT", "/tmp/portal-test-media")  # noqa: S108
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
