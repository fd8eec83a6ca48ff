"""Development: `make run`. Loosens only what a laptop needs."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool, env_list

DEBUG = True
SECRET_KEY = "dev-only-secret-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
EMAIL_FILE_PATH = str(VAR_DIR / "outbox")
EMAIL_BACKEND = "core.mail_backends.ConsoleAndFileBackend"
FETCH_ALLOW_PRIVATE_ADDRESSES = env_bool("FETCH_ALLOW_PRIVATE_ADDRESSES", True)  # feeds served on localhost
