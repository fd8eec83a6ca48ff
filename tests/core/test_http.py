"""The portal's one fetcher (core.http), against real local HTTP servers (pytest-httpserver)."""

import gzip
import shutil
import ssl
import subprocess
import time

from django.utils import translation

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from core import http


@pytest.fixture
def other_server():
    """A second local server, on 127.0.0.2 (the whole 127/8 is loopback on Linux)."""
    server = HTTPServer(host="127.0.0.2", port=0)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def public_stand_in(monkeypatch, settings):
    """Private addresses refused, except 127.0.0.2, which stands in for a public server: the only way to
    test a second hop without the internet. Every other address goes through the real rule."""
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = False
    real = http.is_refused_address
    monkeypatch.setattr(http, "is_refused_address", lambda address: address != "127.0.0.2" and real(address))


def test_user_agent_accept_and_conditional_get(httpserver, settings):
    settings.PORTAL_HTTP_USER_AGENT = "TestAgent/2"
    httpserver.expect_request(
        "/f", headers={"User-Agent": "TestAgent/2", "If-None-Match": '"v1"', "Accept": "text/csv"}
    ).respond_with_data("", status=304, headers={"ETag": '"v1"'})
    result = http.fetch(
        url=httpserver.url_for("/f"), etag='"v1"', last_modified="Mon, 23 Nov 2026", accept="text/csv"
    )
    assert (result.not_modified, result.http_status, result.etag, result.last_modified, result.content) == (
        True,
        304,
        '"v1"',
        "Mon, 23 Nov 2026",
        b"",
    )
    assert httpserver.log[0][0].headers["If-Modified-Since"] == "Mon, 23 Nov 2026"


def test_transient_errors_are_retried_with_a_pause(httpserver):
    httpserver.expect_ordered_request("/f").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/f").respond_with_data("ok", headers={"ETag": '"v2"'})
    result = http.fetch(url=httpserver.url_for("/f"))
    assert (result.content, result.etag, len(httpserver.log)) == (b"ok", '"v2"', 2)


def test_a_client_error_is_not_retried_and_says_which(httpserver):
    httpserver.expect_request("/f").respond_with_data("no", status=404)
    with pytest.raises(http.FetchError) as caught:
        http.fetch(url=httpserver.url_for("/f"))
    assert (caught.value.reason, caught.value.detail, caught.value.http_status) == (
        http.HTTP_ERROR,
        "HTTP 404 NOT FOUND",
        404,
    )
    assert caught.value.transient is False and len(httpserver.log) == 1


def test_redirects_are_followed_and_limited(httpserver):
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new?x=1"})
    httpserver.expect_request("/new", query_string="x=1").respond_with_data("here")
    result = http.fetch(url=httpserver.url_for("/old"))
    assert (result.content, result.url) == (b"here", httpserver.url_for("/new?x=1"))

    httpserver.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    with pytest.raises(http.FetchError) as caught:
        http.fetch(url=httpserver.url_for("/loop"))
    assert caught.value.reason == http.TOO_MANY_REDIRECTS
    assert (
        sum(1 for request, _response in httpserver.log if request.path == "/loop") == http.MAX_REDIRECTS + 1
    )


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255", "192.0.2.1",  # noqa: S104
        "::1", "::", "fe80::1", "fe80::1%eth0", "fc00::1", "fd12::1", "ff02::1", "2001:db8::1",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "64:ff9b::7f00:1", "2002:7f00:1::1",
    ],
)  # fmt: skip
def test_non_public_addresses_are_refused(address):
    assert http.is_refused_address(address) is True


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address):
    assert http.is_refused_address(address) is False


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]"])
def test_a_name_or_literal_that_is_loopback_is_refused(httpserver, settings, host):
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = False
    httpserver.expect_request("/f").respond_with_data("internal")
    with pytest.raises(http.FetchError) as caught:
        http.fetch(url=f"http://{host}:{httpserver.port}/f")
    assert caught.value.reason == http.REFUSED_ADDRESS
    assert "n'est pas publique" in caught.value.detail
    assert httpserver.log == []


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/f", "javascript:alert(1)", "http:///x", "gopher://a"]
)
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(http.FetchError) as caught:
        http.fetch(url=url)
    assert caught.value.reason == http.INVALID_URL


def test_every_hop_is_checked_a_redirect_to_loopback_is_refused(other_server, httpserver, public_stand_in):
    httpserver.expect_request("/secret").respond_with_data("internal data")
    other_server.expect_request("/feed").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/secret")}
    )
    other_server.expect_request("/plain").respond_with_data("public data")
    assert http.fetch(url=other_server.url_for("/plain")).content == b"public data"
    with pytest.raises(http.FetchError) as caught:
        http.fetch(url=other_server.url_for("/feed"))
    assert caught.value.reason == http.REFUSED_ADDRESS and "127.0.0.1" in caught.value.detail
    assert httpserver.log == []


def test_a_slow_drip_is_cut_at_the_total_deadline(httpserver, settings):
    """Each byte comes well within the per-operation timeout: only a total deadline stops it."""
    settings.PORTAL_HTTP_TIMEOUT = 5
    settings.FETCH_DEADLINE = 0.8

    def drip(request):
        def body():
            for _index in range(40):
                yield b" "
                time.sleep(0.1)

        return Response(body(), content_type="application/json")

    httpserver.expect_request("/drip").respond_with_handler(drip)
    started = time.monotonic()
    with pytest.raises(http.FetchError) as caught:
        http.fetch(url=httpserver.url_for("/drip"))
    assert caught.value.reason == http.DEADLINE and caught.value.transient
    assert time.monotonic() - started < 1.5


def test_a_gzip_bomb_is_cut_at_the_decompressed_cap(httpserver):
    bomb = gzip.compress(b"0" * (20 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 100 * 1024
    httpserver.expect_request("/bomb").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(http.FetchError) as caught:
        http.fetch(url=httpserver.url_for("/bomb"), max_bytes=1024 * 1024)
    assert caught.value.reason == http.TOO_LARGE


def test_gzip_is_decompressed_and_a_truncated_body_fails(httpserver):
    httpserver.expect_request("/gz").respond_with_data(
        gzip.compress(b"hello" * 1000), headers={"Content-Encoding": "gzip"}
    )
    assert http.fetch(url=httpserver.url_for("/gz")).content == b"hello" * 1000
    httpserver.expect_request("/cut").respond_with_data(
        gzip.compress(b"hello" * 1000)[:-20], headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(http.FetchError) as caught:
        http.fetch(url=httpserver.url_for("/cut"))
    assert caught.value.reason == http.BAD_RESPONSE


def test_an_unreachable_server_is_a_translated_connection_failure(settings):
    settings.FETCH_RETRIES = 1
    with pytest.raises(http.FetchError) as caught:
        http.fetch(url="http://127.0.0.1:9/f")
    assert caught.value.reason == http.CONNECTION_FAILED and caught.value.transient
    with translation.override("en"):
        assert caught.value.message == "Cannot connect to the server"


def _certificate(folder, name):
    """A self-signed certificate for `name` (its own authority), made by the openssl command."""
    key, cert = folder / f"{name}.key", folder / f"{name}.pem"
    subprocess.run(  # noqa: S603
        [shutil.which("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={name}",
         "-addext", f"subjectAltName=DNS:{name}"],
        check=True, capture_output=True,
    )  # fmt: skip
    return key, cert


def _tls_server(key, cert):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    return server


@pytest.mark.skipif(not shutil.which("openssl"), reason="the openssl command makes the test certificates")
def test_https_connects_to_the_checked_address_and_still_verifies_the_name(tmp_path, settings):
    """The connection goes to the address resolved and checked, but TLS is about the name: SNI and the
    certificate are checked against `localhost`, not 127.0.0.1."""
    key, cert = _certificate(tmp_path, "localhost")
    server = _tls_server(key, cert)
    try:
        server.expect_request("/f").respond_with_data("secure")
        settings.FETCH_CA_BUNDLE = str(cert)
        assert http.fetch(url=f"https://localhost:{server.port}/f").content == b"secure"
        assert server.log[0][0].host == f"localhost:{server.port}"
        # The same server, reached by its address: the certificate does not name it.
        with pytest.raises(http.FetchError) as caught:
            http.fetch(url=f"https://127.0.0.1:{server.port}/f")
        assert caught.value.reason == http.TLS_FAILED
        # A certificate of another authority (certifi's list does not know ours): refused.
        settings.FETCH_CA_BUNDLE = ""
        with pytest.raises(http.FetchError) as caught:
            http.fetch(url=f"https://localhost:{server.port}/f")
        assert caught.value.reason == http.TLS_FAILED
    finally:
        server.stop()
