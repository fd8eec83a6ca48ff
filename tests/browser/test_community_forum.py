"""A member posts a topic written in Markdown, another replies, the first gets the e-mail."""

from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.urls import NoReverseMatch, clear_url_caches, reverse

import pytest

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _profile_url(settings):
    try:
        reverse("accounts:profile")
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.community.urls"  # stand-in until the accounts app names it
        clear_url_caches()
    yield
    clear_url_caches()


def _sign_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(15_000)
    host = live_server.url.removeprefix("http://").split(":")[0]
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies["sessionid"].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    return context


def test_topic_reply_and_mail(browser, live_server, transactional_db, settings):
    from community.models import Category, Topic

    settings.SITE_URL = live_server.url
    category = Category.objects.create(name="Entraide technique", slug="entraide", visibility="members")
    author = UserFactory(display_name="Inès Autrice", roles=["source_maintainer"])
    replier = UserFactory(display_name="Hugo Répondeur", roles=["source_maintainer"])

    first = _sign_in(browser, live_server, author).new_page()
    first.goto(reverse("community:category", args=[category.slug]))
    first.get_by_role("link", name="Nouveau sujet").click()
    first.get_by_label("Titre du sujet").fill("Import CSV en panne")
    first.get_by_label("Votre message").fill(
        "**Bonjour** à toutes et tous,\n\n- le flux ne passe plus\n- depuis lundi"
    )
    first.get_by_role("button", name="Publier le sujet").click()
    first.wait_for_url("**/sujet/*/")
    assert first.locator("h1").inner_text() == "Import CSV en panne"
    assert first.locator(".post-body strong").first.inner_text() == "Bonjour"
    assert first.locator(".post-body li").count() == 2
    topic = Topic.objects.get(title="Import CSV en panne")

    second = _sign_in(browser, live_server, replier).new_page()
    second.goto(topic.get_absolute_url())
    second.get_by_label("Votre message").fill("Vérifiez le *séparateur* : `;` au lieu de `,`.")
    second.get_by_role("button", name="Envoyer la réponse").click()
    second.wait_for_selector("text=Vérifiez le")
    assert second.locator(".post-body em").first.inner_text() == "séparateur"

    to_author = [message for message in mail.outbox if message.to == [author.email]]
    assert len(to_author) == 1
    assert "Import CSV en panne" in to_author[0].subject
    assert "Vérifiez le *séparateur*" in to_author[0].body
    assert "List-Unsubscribe" in to_author[0].extra_headers
    first.context.close()
    second.context.close()
