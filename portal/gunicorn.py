"""gunicorn settings, from the environment: `gunicorn --config python:portal.gunicorn portal.wsgi`.

WEB_CONCURRENCY worker processes (default 2) on HOST:PORT (default 127.0.0.1:8000). Sync workers: every
page is short and database-bound; a reverse proxy (docs/deploy.md) buffers slow clients.
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# A worker silent this long is killed and replaced (a request stuck on a dead connection).
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
# On SIGTERM, requests under way get this long to finish: below bin/serve's STOP_TIMEOUT.
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "5"))
keepalive = 5
# Each worker is replaced after this many requests (plus jitter), bounding slow memory growth.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Django and Wagtail are imported once, before the fork: workers share those pages (memory, start-up).
preload_app = True
# X-Forwarded-* are trusted from the reverse proxy only (FORWARDED_ALLOW_IPS, default 127.0.0.1).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The portal logs each request itself (JSON, with its request id: core.logging); gunicorn's line on demand.
accesslog = "-" if os.environ.get("WEB_ACCESS_LOG", "0") == "1" else None
errorlog = "-"
# No runtime control socket (gunicorn 23+): one fixed path per user would clash between instances.
control_socket_disable = True
