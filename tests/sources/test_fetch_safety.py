"""A source's feed URL is given by outsiders: what the server refuses to fetch, and how a refusal looks
(issue 14, "Outbound requests"). The fetcher itself is tested in tests/core/test_http.py."""

import gzip
import json
import time

from django.urls import reverse

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from core import http
from sources.models import ImportRun, SourceElement
from sources.services.checks import check_source
from tests.sources.conftest import gogocarto_export, record
from tests.sources.factories import SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed_server():
    """The source's server, on 127.0.0.2; the default `httpserver` (127.0.0.1) plays the internal one."""
    server = HTTPServer(host="127.0.0.2", port=0)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


def test_a_feed_redirecting_to_loopback_is_refused_and_yesterdays_data_kept(
    feed_server, httpserver, settings, monkeypatch, client
):
    feed_server.expect_request("/flux.json").respond_with_data(
        gogocarto_export([record("1"), record("2", "B")]), content_type="application/json"
    )
    source = SourceFactory(feed_url=feed_server.url_for("/flux.json"))
    assert check_source(source=source).state == ImportRun.State.COMPLETED  # yesterday's check

    httpserver.expect_request("/interne.json").respond_with_data(
        gogocarto_export([record("secret", "Données internes")]), content_type="application/json"
    )
    feed_server.clear()
    feed_server.expect_request("/flux.json").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/interne.json")}
    )
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = False
    # 127.0.0.2 stands in for the source's public server; every other address follows the real rule.
    real = http.is_refused_address
    monkeypatch.setattr(http, "is_refused_address", lambda address: address != "127.0.0.2" and real(address))
    run = check_source(source=source)

    assert (run.state, run.reason) == (ImportRun.State.FAILED, http.REFUSED_ADDRESS)
    assert "127.0.0.1" in run.detail
    assert httpserver.log == []  # the internal server was never asked
    current = SourceElement.objects.filter(source=source, removed_at__isnull=True)
    assert sorted(current.values_list("element_id", flat=True)) == ["1", "2"]

    status = json.loads(client.get(reverse("sources_api:status", args=[source.slug])).content)
    assert status["lastCheck"]["reason"] == http.REFUSED_ADDRESS  # generic: no address, no host
    assert "127.0.0.1" not in json.dumps(status)


def test_a_hostname_resolving_to_loopback_is_refused(httpserver, settings):
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = False
    httpserver.expect_request("/flux.json").respond_with_data(gogocarto_export([record("1")]))
    source = SourceFactory(feed_url=f"http://localhost:{httpserver.port}/flux.json")
    run = check_source(source=source)
    assert (run.state, run.level, run.reason) == (
        ImportRun.State.FAILED,
        ImportRun.Level.ERROR,
        http.REFUSED_ADDRESS,
    )
    assert "localhost" in run.detail and httpserver.log == []


def test_a_slow_drip_feed_is_cut_at_the_deadline(httpserver, settings):
    settings.PORTAL_HTTP_TIMEOUT = 5
    settings.FETCH_DEADLINE = 0.8

    def drip(request):
        def body():
            yield b'{"data": ['
            for _index in range(30):
                time.sleep(0.1)
                yield b" "
            yield b"]}"

        return Response(body(), content_type="application/json")

    httpserver.expect_request("/flux.json").respond_with_handler(drip)
    started = time.monotonic()
    run = check_source(source=SourceFactory(feed_url=httpserver.url_for("/flux.json")))
    assert time.monotonic() - started < 2
    assert (run.state, run.reason) == (ImportRun.State.FAILED, http.DEADLINE)


def test_a_gzip_bomb_is_cut_at_the_size_cap(httpserver, settings):
    settings.SOURCES_FEED_MAX_BYTES = 1024 * 1024
    bomb = gzip.compress(b'{"data": [' + b" " * (30 * 1024 * 1024) + b"]}", compresslevel=9)
    httpserver.expect_request("/flux.json").respond_with_data(
        bomb, content_type="application/json", headers={"Content-Encoding": "gzip"}
    )
    run = check_source(source=SourceFactory(feed_url=httpserver.url_for("/flux.json")))
    assert (run.state, run.reason) == (ImportRun.State.FAILED, http.TOO_LARGE)
    assert "1048576" in run.detail
