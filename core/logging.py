"""Logs for machines: one JSON object per line on stdout, each carrying the id of the request it belongs to.

`RequestIdMiddleware` gives every request an id (the proxy's `X-Request-ID` when it sent a sane one, a new
one otherwise), answers it in the `X-Request-ID` header and logs one access line per request;
`RequestIdFilter` puts it on every record logged while the request runs (`-` outside requests: tasks,
commands); `JsonFormatter` writes the records. Production uses them (LOG_FORMAT=json, the default there).
"""

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from django.core.signals import request_finished
from django.dispatch import receiver

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
access_logger = logging.getLogger("portal.access")

# Attributes every LogRecord has: anything else was passed with `extra=` and is written out too.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = (
                    value if isinstance(value, str | int | float | bool | type(None)) else repr(value)
                )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        # Not reset on the way out: Django logs a 404 or a 500 ("django.request") after the middleware
        # chain has returned; the id is cleared when the response is closed (request_finished).
        request_id_var.set(request_id)
        if "sentry_sdk" in sys.modules:  # initialised by the settings when SENTRY_DSN is set
            sys.modules["sentry_sdk"].set_tag("request_id", request_id)
        started = time.monotonic()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        access_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
            },
        )
        return response


@receiver(request_finished)
def _forget_request_id(**kwargs):
    request_id_var.set("-")
