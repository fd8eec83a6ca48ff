"""Every sign-in goes through allauth: Wagtail's front-end login view never opens a session."""

from wagtail.models import Page, PageViewRestriction

import pytest

from tests.factories import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_wagtail_frontend_login_does_not_authenticate(client, prefix):
    person = UserFactory(staff=True)
    response = client.post(
        f"{prefix}/_util/login/?next=/admin/",
        {"username": person.email, "password": "mot-de-passe-solide", "next": "/admin/"},
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/") or response["Location"].startswith(
        "/en/comptes/login/"
    )
    assert "next=%2Fadmin%2F" in response["Location"]
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_wagtail_frontend_login_drops_an_off_site_next(client):
    response = client.get("/_util/login/?next=//evil.example/")
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


@pytest.mark.django_db
def test_private_page_password_form_still_works(client):
    page = Page.objects.get(depth=2).specific
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="sésame-ouvre-toi"
    )
    url = page.get_url()
    locked = client.get(url)
    assert locked.status_code == 200
    assert f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/" in locked.content.decode()
    wrong = client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": "faux", "return_url": url},
    )
    assert wrong.status_code == 200
    right = client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": "sésame-ouvre-toi", "return_url": url},
    )
    assert right.status_code == 302
    assert "_auth_user_id" not in client.session
    opened = client.get(url)
    assert opened.status_code == 200
    assert f"/_util/authenticate_with_password/{restriction.pk}/" not in opened.content.decode()
