"""Language switching: Django views keep their path, Wagtail pages link to their own translation."""

import pytest

from home.models import StandardPage
from tests.home.conftest import publish


@pytest.mark.django_db
def test_language_switch_on_a_django_view_keeps_the_path(client):
    content = client.get("/comptes/login/").content.decode()
    assert 'href="/en/comptes/login/" hreflang="en"' in content
    content = client.get("/en/comptes/login/").content.decode()
    assert 'href="/comptes/login/" hreflang="fr"' in content
    assert '<html lang="en">' in content
    assert "Sign In" in content


@pytest.mark.django_db
def test_language_switch_on_a_wagtail_page_links_to_its_translation(client, home_page, english):
    home_en = home_page.copy_for_translation(english)
    publish(home_en)
    page = StandardPage(title="À propos", slug="a-propos")
    home_page.add_child(instance=page)
    publish(page)
    translation = page.copy_for_translation(english)
    translation.title = "About"
    translation.slug = "about"
    publish(translation)

    content = client.get("/a-propos/").content.decode()
    assert 'href="/en/about/" hreflang="en"' in content
    content = client.get("/en/about/").content.decode()
    assert "<h1>About</h1>" in content
    assert 'href="/a-propos/" hreflang="fr"' in content


@pytest.mark.django_db
def test_a_page_without_translation_links_to_the_other_language_home(client, home_page, english):
    publish(home_page.copy_for_translation(english))
    page = StandardPage(title="Seulement en français", slug="seulement")
    home_page.add_child(instance=page)
    publish(page)
    content = client.get("/seulement/").content.decode()
    assert 'href="/en/" hreflang="en"' in content


@pytest.mark.django_db
def test_interface_strings_are_translated(client):
    assert "Skip to content" in client.get("/en/").content.decode()
    assert "Aller au contenu" in client.get("/").content.decode()
