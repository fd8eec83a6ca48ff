"""robots.txt, sitemap.xml with hreflang alternates, favicon.ico."""

import pytest
from defusedxml import ElementTree as ET

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def test_robots_txt_keeps_private_areas_out_and_points_to_the_sitemap(client, settings):
    settings.SITE_URL = "https://transiscope.example.org"
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in text and "Disallow: /en/comptes/" in text
    assert "Sitemap: https://transiscope.example.org/sitemap.xml" in text


def test_sitemap_lists_pages_and_app_indexes_with_their_other_language(client, settings, home_page, english):
    settings.SITE_URL = "https://transiscope.example.org"
    home_page.copy_for_translation(english).save_revision().publish()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    urls = {url.find("s:loc", NS).text: url for url in root.findall("s:url", NS)}
    assert all(location.startswith("https://transiscope.example.org/") for location in urls)
    home = urls["https://transiscope.example.org/"]
    alternates = {link.get("hreflang"): link.get("href") for link in home.findall("x:link", NS)}
    assert alternates == {
        "fr": "https://transiscope.example.org/",
        "en": "https://transiscope.example.org/en/",
    }
    agenda = urls["https://transiscope.example.org/agenda/"]
    assert {link.get("hreflang") for link in agenda.findall("x:link", NS)} == {"fr", "en"}


def test_favicon_ico_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.ico")


def test_sync_site_makes_wagtail_links_start_with_site_url(settings, home_page):
    from django.core.management import call_command

    from wagtail.models import Site

    settings.SITE_URL = "https://transiscope.example.org"
    call_command("sync_site", stdout=__import__("io").StringIO())
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.site_name) == ("transiscope.example.org", 443, "Transiscope")
    assert home_page.full_url == "https://transiscope.example.org/"


def test_account_e_mails_name_the_portal_not_the_request_host(client, settings):
    from django.core import mail

    from tests.factories import UserFactory

    settings.SITE_URL = "https://transiscope.example.org"
    UserFactory(email="zoe@exemple.org")
    client.post("/comptes/password/reset/", {"email": "zoe@exemple.org"}, HTTP_HOST="127.0.0.1:8101")
    message = mail.outbox[-1]
    assert "127.0.0.1:8101" not in message.subject + message.body
    assert "Transiscope" in message.body
