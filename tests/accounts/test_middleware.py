from django.urls import URLResolver, get_resolver

import pytest
from allauth.mfa.models import Authenticator

from accounts import roles
from accounts.middleware import TEAM_SCREENS
from tests.factories import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/", "/django-admin/"])
def test_staff_without_totp_is_sent_to_mfa_setup_when_enforced(client, settings, path):
    settings.PORTAL_ENFORCE_STAFF_MFA = True
    client.force_login(UserFactory(staff=True))
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith("/comptes/2fa/totp/activate/")


@pytest.mark.django_db
def test_staff_with_totp_reaches_the_admin_when_enforced(client, settings):
    settings.PORTAL_ENFORCE_STAFF_MFA = True
    staff = UserFactory(staff=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_staff_reaches_the_admin_when_not_enforced(client, settings):
    settings.PORTAL_ENFORCE_STAFF_MFA = False
    client.force_login(UserFactory(staff=True))
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_non_staff_pages_are_never_blocked(client, settings):
    settings.PORTAL_ENFORCE_STAFF_MFA = True
    client.force_login(UserFactory(staff=True))
    assert client.get("/compte/").status_code == 200


@pytest.mark.django_db
def test_admin_login_pages_lead_to_the_portal_login(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response.url == "/comptes/login/?next=%2Fadmin%2Fpages%2F"
    response = client.get("/admin/", follow=True)  # through /admin/login/, which tells signed-in people apart
    assert response.redirect_chain[-1][0].startswith("/comptes/login/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/accompagnement/equipe/", "/sources/suivi/", "/agenda/moderation/", "/admin/", "/en/sources/suivi/"],
)
def test_the_equipe_role_without_the_staff_flag_needs_totp_on_team_screens(client, settings, path):
    """Issue 14: the Équipe role reached team screens (and the admin) without two-factor authentication."""
    settings.PORTAL_ENFORCE_STAFF_MFA = True
    team_member = UserFactory(roles=[roles.STAFF])
    client.force_login(team_member)
    response = client.get(path)
    assert response.status_code == 302
    assert "/comptes/2fa/totp/activate/" in response.url
    Authenticator.objects.create(user=team_member, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_people_without_team_reach_get_the_screens_answer_not_the_mfa_setup(client, settings):
    """A maintainer has no admin reach: team screens refuse her (403), her own pages open without TOTP."""
    settings.PORTAL_ENFORCE_STAFF_MFA = True
    client.force_login(UserFactory(roles=[roles.SOURCE_MAINTAINER]))
    assert client.get("/agenda/moderation/").status_code == 403
    assert client.get("/sources/").status_code == 200


def test_every_team_screen_is_a_url_of_the_portal():
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace,
                )
            elif pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns)
    assert names >= TEAM_SCREENS, TEAM_SCREENS - names
