"""JSON logs with a request id; Sentry reporting when SENTRY_DSN is set (against a local HTTP server)."""

import gzip
import io
import json
import logging
import re

import pytest

from core.logging import JsonFormatter, RequestIdFilter

from .serving import manage, production_env


@pytest.fixture
def json_log():
    """What the production console handler writes, for the loggers a request goes through."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    loggers = [logging.getLogger(name) for name in ("django.request", "portal.access")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.mark.django_db
def test_a_request_carries_the_proxys_request_id_into_its_logs_and_response(client, json_log):
    response = client.get("/nulle-part/", HTTP_X_REQUEST_ID="lb-7f3a-0001")

    assert response.status_code == 404
    assert response["X-Request-ID"] == "lb-7f3a-0001"
    entries = json_log()
    not_found = next(e for e in entries if e["logger"] == "django.request")
    assert not_found["level"] == "WARNING"
    assert not_found["request_id"] == "lb-7f3a-0001"
    access = next(e for e in entries if e["logger"] == "portal.access")
    assert access["request_id"] == "lb-7f3a-0001"
    assert (access["method"], access["path"], access["status"]) == ("GET", "/nulle-part/", 404)
    assert access["duration_ms"] >= 0


@pytest.mark.django_db
def test_a_request_without_a_usable_id_gets_a_new_one(client, json_log):
    first = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith a newline")
    second = client.get("/healthz")

    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert [e["request_id"] for e in json_log()] == [first["X-Request-ID"], second["X-Request-ID"]]


def test_production_logs_json_lines_and_reports_errors_to_sentry(tmp_path, httpserver):
    """A production process logs JSON on stdout and sends an ERROR to the Sentry DSN's server."""
    httpserver.expect_request(re.compile(r"/api/1/envelope/")).respond_with_data("{}")
    env = production_env(
        tmp_path / "var",
        SENTRY_DSN=f"http://public@127.0.0.1:{httpserver.port}/1",
        PORTAL_VAR_DIR=str(tmp_path),
    )
    script = "import logging; logging.getLogger('portal.ops').error('panne-4521', extra={'source_id': 7})"

    result = manage(env, "shell", "-c", script)

    line = next(json.loads(line) for line in result.stdout.splitlines() if "panne-4521" in line)
    assert line["level"] == "ERROR"
    assert line["logger"] == "portal.ops"
    assert line["request_id"] == "-"
    assert line["source_id"] == 7
    bodies = [
        gzip.decompress(request.get_data())
        if request.headers.get("Content-Encoding") == "gzip"
        else request.get_data()
        for request, _response in httpserver.log
    ]
    assert any(b"panne-4521" in body for body in bodies), bodies


def test_wagtails_unserved_api_v3_is_not_imported(tmp_path):
    """django-ninja and the API's routers (Wagtail's API v3, not routed by the portal) stay out of every
    process. (DRF stays: the Wagtail admin's own API uses it, and it imports pydantic.)"""
    script = (
        "import sys; from django.urls import resolve; resolve('/admin/'); "
        "print([m for m in ('ninja', 'wagtail.api.v3.routers.pages') if m in sys.modules])"
    )

    result = manage(production_env(tmp_path / "var", PORTAL_VAR_DIR=str(tmp_path)), "shell", "-c", script)

    assert result.stdout.strip().splitlines()[-1] == "[]"
