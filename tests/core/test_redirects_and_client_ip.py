"""`next` never leaves the site; rate limits key on the client behind our proxies, and only ours."""

from django.urls import reverse

import pytest
from django_ratelimit.core import is_ratelimited

from accounts.adapter import AccountAdapter
from core.client_ip import client_ip
from core.redirects import safe_next
from tests.factories import UserFactory

OFF_SITE = [
    "//evil.example/",
    "/\\evil.example/",
    "https://evil.example/",
    "http://testserver.evil.example/",
    "javascript:alert(1)",
    "\\\\evil.example",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_safe_next_refuses_other_sites(rf, target):
    assert safe_next(rf.post("/", {"next": target}), default="/ici/") == "/ici/"
    assert safe_next(rf.get("/", {"next": target}), default="/ici/") == "/ici/"


def test_safe_next_keeps_a_path_of_this_site(rf):
    assert safe_next(rf.get("/", {"next": "/sources/?page=2"})) == "/sources/?page=2"
    assert safe_next(rf.get("/", {"next": "http://testserver/compte/"})) == "http://testserver/compte/"


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example"])
def test_alert_preference_does_not_redirect_off_site(client, target):
    client.force_login(UserFactory(roles=["source_maintainer"]))
    response = client.post(
        reverse("sources:alert_preference") + f"?next={target}", {"mode": "immediate", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("sources:index")
    kept = client.post(reverse("sources:alert_preference"), {"mode": "immediate", "next": "/sources/x/"})
    assert kept["Location"] == "/sources/x/"


def _request(rf, *, remote="203.0.113.9", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.post("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request(rf, forwarded="1.2.3.4")) == "203.0.113.9"


def test_with_trusted_proxies_the_address_they_saw_is_the_client(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote "1.2.3.4" itself; our one proxy appended the address it saw.
    assert client_ip(_request(rf, remote="10.0.0.2", forwarded="1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request(rf, remote="10.0.0.2", forwarded="1.2.3.4, 198.51.100.7, 10.0.0.1")) == (
        "198.51.100.7"
    )
    # Fewer hops than our proxies add, or garbage: the connection's own address.
    assert client_ip(_request(rf, remote="10.0.0.2", forwarded="198.51.100.7")) == "10.0.0.2"
    assert client_ip(_request(rf, remote="10.0.0.2", forwarded="x, <script>, 10.0.0.1")) == "10.0.0.2"


def test_rate_limits_and_allauth_key_on_the_same_client_address(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    first = _request(rf, remote="10.0.0.2", forwarded="1.1.1.1, 198.51.100.7")
    assert AccountAdapter().get_client_ip(first) == "198.51.100.7"
    assert not is_ratelimited(first, group="t", key="ip", rate="1/m", increment=True)
    # The same client behind the proxy, another forged left part: still limited.
    again = _request(rf, remote="10.0.0.3", forwarded="2.2.2.2, 198.51.100.7")
    assert is_ratelimited(again, group="t", key="ip", rate="1/m", increment=True)
    # Another client behind the same proxy: its own counter.
    other = _request(rf, remote="10.0.0.2", forwarded="198.51.100.8")
    assert not is_ratelimited(other, group="t", key="ip", rate="1/m", increment=True)


def test_forged_forwarded_headers_do_not_reset_a_limit_without_proxies(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert not is_ratelimited(
        _request(rf, forwarded="1.1.1.1"), group="u", key="ip", rate="1/m", increment=True
    )
    assert is_ratelimited(_request(rf, forwarded="2.2.2.2"), group="u", key="ip", rate="1/m", increment=True)
