import re

from django.core import mail
from django.urls import reverse

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User


@pytest.mark.django_db
def test_signup_page_is_in_the_site_frame_and_says_why_each_field_is_asked(client):
    response = client.get(reverse("account_signup"))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'href="#contenu"' in content  # the portal's base template
    assert 'class="language-switch"' in content
    for name in ("display_name", "organisation", "territory", "preferred_language"):
        assert f'name="{name}"' in content
    assert "Pour que les autres membres sachent qui écrit" in content
    assert "Jamais affiché plus précisément que le département" in content


@pytest.mark.django_db
def test_signup_needs_email_verification_then_logs_in(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "Alice@Exemple.org",
            "password1": "une-phrase-de-passe-longue",
            "password2": "une-phrase-de-passe-longue",
            "display_name": "Alice Dupont",
            "organisation": "Les Amis de la Terre",
            "territory": "30189",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email__iexact="alice@exemple.org")
    assert (user.display_name, user.organisation, user.territory, user.preferred_language) == (
        "Alice Dupont",
        "Les Amis de la Terre",
        "30189",
        "en",
    )
    assert not EmailAddress.objects.get(user=user).verified
    # Mandatory verification: signing in before confirming only leads to "verification sent".
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "alice@exemple.org", "password": "une-phrase-de-passe-longue"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session

    assert len(mail.outbox) >= 1
    body = mail.outbox[-1].body
    key_url = re.search(r"http://testserver(\S+)", body).group(1)
    response = client.get(key_url)
    assert response.status_code == 200
    response = client.post(key_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)
    # The preferred language (English) is the one the person lands in.
    assert response.url.startswith("/en/")


@pytest.mark.django_db
def test_signup_rejects_an_unknown_territory_and_a_filled_honeypot(client):
    data = {
        "email": "bob@exemple.org",
        "password1": "une-phrase-de-passe-longue",
        "password2": "une-phrase-de-passe-longue",
        "display_name": "Bob",
        "territory": "99999",
        "preferred_language": "fr",
    }
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    assert "n&#x27;est ni un code de commune" in response.content.decode()
    assert not User.objects.filter(email="bob@exemple.org").exists()

    response = client.post(reverse("account_signup"), {**data, "territory": "", "site_web_entreprise": "x"})
    assert not User.objects.filter(email="bob@exemple.org").exists()


@pytest.mark.django_db
def test_failed_logins_are_rate_limited(client, user):
    url = reverse("account_login")
    responses = [client.post(url, {"login": user.email, "password": f"mauvais-{n}"}) for n in range(6)]
    # ACCOUNT_RATE_LIMITS["login_failed"]: 5 failures per 5 minutes for one address, then even the right
    # password is refused for a while.
    assert all("Trop de tentatives" not in r.content.decode() for r in responses[:5])
    assert "Trop de tentatives" in responses[5].content.decode()
    response = client.post(url, {"login": user.email, "password": "mot-de-passe-solide"})
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_is_rate_limited_per_address(client, user):
    url = reverse("account_reset_password")
    statuses = [client.post(url, {"email": user.email}).status_code for _ in range(6)]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
    ],
)
def test_allauth_entrance_pages_extend_the_portal_frame(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'href="#contenu"' in content
    assert 'class="site-footer"' in content
    assert "<h1>" in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    ["account_email", "account_change_password", "mfa_index", "mfa_activate_totp", "account_logout"],
)
def test_allauth_account_pages_extend_the_portal_frame(client, user, url_name):
    client.force_login(user)
    response = client.get(reverse(url_name))
    if response.status_code == 302:  # MFA pages first ask to reauthenticate
        response = client.get(response.url)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'href="#contenu"' in content
    assert 'class="site-footer"' in content
