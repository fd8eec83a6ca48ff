"""Behind the reverse proxy, one address's failed logins do not lock everyone else out."""

from django.urls import reverse

import pytest

from tests.factories import UserFactory

from .serving import manage, production_env


def _login(client, email, password, client_ip):
    # Requests reach gunicorn from the proxy (REMOTE_ADDR 127.0.0.1), which appends the client's address
    # to X-Forwarded-For (after whatever the client wrote there itself).
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=f"10.9.9.9, {client_ip}",
    )


@pytest.mark.django_db
def test_failed_logins_from_one_address_do_not_block_another_behind_the_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    person, neighbour = UserFactory(), UserFactory()
    for n in range(61):  # ACCOUNT_RATE_LIMITS["login_failed"]: 60 failures per 10 minutes per address
        _login(client, f"inconnu{n}@exemple.org", "faux-mot-de-passe", "203.0.113.7")

    # The guessing address is limited, even with a right password…
    assert _login(client, neighbour.email, "mot-de-passe-solide", "203.0.113.7").status_code == 200
    # …another address behind the same proxy signs in.
    assert _login(client, person.email, "mot-de-passe-solide", "198.51.100.20").status_code == 302


def test_the_client_ip_header_is_read_from_the_environment(tmp_path):
    env = production_env(tmp_path / "var", PORTAL_VAR_DIR=str(tmp_path), TRUSTED_PROXY_COUNT="1")
    script = "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT)"

    assert manage(env, "shell", "-c", script).stdout.strip().splitlines()[-1] == "1"
