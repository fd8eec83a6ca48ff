"""Who reaches the Wagtail admin: the team by its role; a clear refusal (no redirect loop) for others."""

import pytest

from accounts import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_the_portal_login(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/comptes/login/?next=%2Fadmin%2F"
    assert response.status_code == 200


def test_signed_in_member_without_admin_rights_gets_a_refusal_not_a_loop(client):
    member = UserFactory(roles=[roles.AMBASSADOR])
    client.force_login(member)
    response = client.get("/admin/", follow=True)
    assert len(response.redirect_chain) == 1  # /admin/ -> /admin/login/, which answers
    assert response.status_code == 403
    page = response.content.decode()
    assert member.email in page and "n’a pas accès à l’administration" in page
    response = client.get("/django-admin/", follow=True)
    assert response.status_code == 403 and len(response.redirect_chain) <= 2


def test_team_role_runs_the_portal_in_the_admin_without_being_superuser(client):
    team_member = UserFactory(roles=[roles.STAFF], is_staff=True)
    assert not team_member.is_superuser
    client.force_login(team_member)
    for url in [
        "/admin/",
        "/admin/pages/",
        "/admin/snippets/sources/source/",
        "/admin/snippets/sources/source/add/",
        "/admin/snippets/kits/trainingsession/add/",
        "/admin/snippets/newsletter/newsletterissue/",
        "/admin/images/",
        "/admin/documents/",
    ]:
        assert client.get(url).status_code == 200, url
    root_home = client.get("/admin/pages/").content.decode()
    assert "Transiscope" in root_home
    assert client.get("/admin/users/").status_code in (302, 403)  # accounts stay with superusers
