"""Development: `make run`. Loosens only what a laptop needs."""

import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool, env_list


def _dev_secret_key() -> str:
    """A random secret made on first use and kept in var/dev-secret-key: no key written in the code, so
    a process started with these settings by mistake signs nothing with a secret anyone knows."""
    path = VAR_DIR / "dev-secret-key"
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        key = ""
    if len(key) < 50:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key + "\n")
        path.chmod(0o600)
    return key


DEBUG = True
SECRET_KEY = _dev_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
EMAIL_FILE_PATH = str(VAR_DIR / "outbox")
EMAIL_BACKEND = "core.mail_backends.ConsoleAndFileBackend"
FETCH_ALLOW_PRIVATE_ADDRESSES = env_bool("FETCH_ALLOW_PRIVATE_ADDRESSES", True)  # feeds served on localhost
