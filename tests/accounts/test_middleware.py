import pytest
from allauth.mfa.models import Authenticator

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
