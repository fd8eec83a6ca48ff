"""Two-factor sign-in and password reset, through allauth's pages in the portal's frame."""

import re

from django.core import mail
from django.urls import reverse

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)

from tests.factories import UserFactory

FRAME = 'href="#contenu"'


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


@pytest.mark.django_db
def test_sign_in_with_totp_then_manage_it(client):
    user = UserFactory()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)

    response = client.post(reverse("account_login"), {"login": user.email, "password": "mot-de-passe-solide"})
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    page = client.get(response.url).content.decode()
    assert FRAME in page
    assert 'name="code"' in page
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)

    for name in ("mfa_index", "mfa_view_recovery_codes", "mfa_deactivate_totp"):
        response = client.get(reverse(name))
        if response.status_code == 302:  # sensitive pages ask to reauthenticate first
            assert response.url.startswith(reverse("account_reauthenticate"))
            response = client.get(response.url)
        assert response.status_code == 200, name
        assert FRAME in response.content.decode(), name


@pytest.mark.django_db
def test_password_reset_from_the_emailed_key(client):
    user = UserFactory()
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert FRAME in client.get(response.url).content.decode()  # "done" page
    link = re.search(r"http://testserver(\S+)", mail.outbox[-1].body).group(1)
    response = client.get(link)
    if response.status_code == 302:  # allauth moves the key into the session first
        link = response.url
        response = client.get(link)
    assert response.status_code == 200
    assert FRAME in response.content.decode()
    response = client.post(
        link, {"password1": "nouvelle-phrase-secrete", "password2": "nouvelle-phrase-secrete"}
    )
    assert response.status_code == 302
    assert FRAME in client.get(response.url).content.decode()  # "from key done" page
    user.refresh_from_db()
    assert user.check_password("nouvelle-phrase-secrete")
