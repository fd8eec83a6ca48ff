from io import StringIO

from django.core.management import call_command

from wagtail.models import Page, Revision

import pytest

from home.models import PortalSettings


@pytest.mark.django_db
def test_demo_is_idempotent_and_serves_english_content(client):
    call_command("load_demo", only=["accounts", "home"], stdout=StringIO())
    pages, revisions = Page.objects.count(), Revision.objects.count()
    call_command("load_demo", only=["accounts", "home"], stdout=StringIO())
    assert (Page.objects.count(), Revision.objects.count()) == (pages, revisions)

    assert "Transiscope rassemble" in client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    assert "Transiscope brings together" in english
    for url, title in [
        ("/a-propos/", "À propos"),
        ("/en/about/", "About"),
        ("/charte-des-sources/", "La charte des sources"),
        ("/en/sources-charter/", "The sources&#x27; charter"),
        ("/mentions-legales/", "Mentions légales et données personnelles"),
        ("/en/legal-notice/", "Legal notice and personal data"),
        ("/contact/", "Contact"),
        ("/en/contact/", "Contact"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f"<h1>{title}</h1>" in response.content.decode(), url
    assert "Your message" in client.get("/en/contact/").content.decode()
    assert PortalSettings.objects.get().legal_page.slug == "mentions-legales"


@pytest.mark.django_db
def test_demo_staff_account_reaches_the_admin(client):
    call_command("load_demo", only=["accounts"], stdout=StringIO())
    response = client.post(
        "/comptes/login/", {"login": "admin@demo.transiscope.org", "password": "transiscope-demo"}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
