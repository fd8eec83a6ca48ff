"""The whole demo has an English version: every page and translatable snippet, served under /en/."""

import re
from collections import deque
from html import escape
from io import StringIO

from django.core.management import call_command

from wagtail.models import Locale, Page, Revision

import pytest

from home.models import StandardPage
from kits.models import FaqCategory, FaqEntry, KitPage, ResponsibleGroup
from sources.models import Source
from stories.models import StoryPage

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="(/en/[^"#?]*)"')
# Under /en/, only follow what people read: not feeds, downloads, sign-in forms or the agenda's events.
SKIPPED = re.compile(r"^/en/(comptes|compte|jsi18n|agenda|communaute|accompagnement|lettre)/|/flux/|\.ics$")
MAX_PAGES = 120


def _counts():
    return (
        Page.objects.count(),
        Revision.objects.count(),
        ResponsibleGroup.objects.count(),
        FaqCategory.objects.count(),
        FaqEntry.objects.count(),
    )


def _crawl(client, start: list[str]) -> dict:
    """Every page reached from the `start` paths through /en/ links: {path: response}."""
    seen, queue, responses = set(start), deque(start), {}
    while queue:
        path = queue.popleft()
        response = client.get(path, follow=True)
        responses[path] = response
        assert len(responses) <= MAX_PAGES, "the crawl went further than the demo's English pages"
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in HREF.findall(response.content.decode()):
            if link not in seen and not SKIPPED.search(link):
                seen.add(link)
                queue.append(link)
    return responses


def test_demo_is_complete_in_english_and_served_in_english(client):
    call_command("load_demo", stdout=StringIO())
    counts = _counts()
    call_command("load_demo", stdout=StringIO())
    assert _counts() == counts  # idempotent: nothing created the second time

    french, english = Locale.get_default(), Locale.objects.get(language_code="en")
    french_pages = Page.objects.live().filter(locale=french, depth__gt=1).specific()
    translations = {
        page.translation_key: page for page in Page.objects.live().filter(locale=english).specific()
    }
    missing = [page.url_path for page in french_pages if page.translation_key not in translations]
    assert missing == []
    for model in (ResponsibleGroup, FaqCategory):
        assert (
            not model.objects.filter(locale=french)
            .exclude(translation_key__in=model.objects.filter(locale=english).values("translation_key"))
            .exists()
        ), model
    assert (
        not FaqEntry.objects.filter(locale=french, live=True)
        .exclude(
            translation_key__in=FaqEntry.objects.filter(locale=english, live=True).values("translation_key")
        )
        .exists()
    )
    assert not Source.objects.exclude(description="").filter(description_en="").exists()
    for kit in KitPage.objects.filter(locale=english):
        assert kit.responsible_group.locale == english, kit.title

    # Each kit, story and standard page renders in English, with its English title.
    samples = [
        page
        for model in (KitPage, StoryPage, StandardPage)
        for page in model.objects.live().filter(locale=english)
    ]
    assert len(samples) == 10 + 6 + 3
    for page in samples:
        response = client.get(page.url)
        html = response.content.decode()
        assert response.status_code == 200, page.url
        assert '<html lang="en">' in html, page.url
        assert f"<h1>{escape(page.title)}</h1>" in html, page.url

    # Crawling /en/ from every English page: every Wagtail page served there is English, and no French title
    # of a translated page shows (menus, listings, footer, home sections, the showcase's sub-pages).
    french_titles = {
        escape(page.title) for page in french_pages if page.title != translations[page.translation_key].title
    }
    responses = _crawl(client, ["/en/", *(page.url for page in translations.values())])
    served = [response.context["page"] for response in responses.values() if response.context
              and isinstance(response.context.get("page"), Page)]  # fmt: skip
    assert len(served) >= len(samples)
    failures = {
        path: response.status_code for path, response in responses.items() if response.status_code != 200
    }
    failures |= {
        path: [title for title in french_titles if title in response.content.decode()]
        for path, response in responses.items()
        if any(title in response.content.decode() for title in french_titles)
    }
    assert failures == {}
    assert {page.locale_id for page in served} == {english.pk}
    # The showcase tells each source in English.
    showcase = responses["/en/sources-showcase/"].content.decode()
    for source in Source.objects.exclude(description_en=""):
        detail = responses[f"/en/sources-showcase/{source.slug}/"].content.decode()
        assert source.description_en in detail and source.description not in detail, source.slug
        assert source.description not in showcase, source.slug
