"""What search engines and browsers ask of every site: robots.txt, sitemap.xml (with hreflang alternates
between the French and English versions) and favicon.ico."""

from collections import defaultdict

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_page

from wagtail.models import Page

# The portal's own index pages that are not Wagtail pages, listed in both languages.
APP_INDEXES = (
    "sources:index",
    "agenda:index",
    "kits:index",
    "stories:index",
    "support:index",
    "newsletter:index",
    "community:ambassadors",
)
# Nothing to index there: sign-in, accounts, admin, machines' endpoints (both languages where it applies).
PRIVATE_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/hooks/",
    "/compte/",
    "/en/compte/",
    "/comptes/",
    "/en/comptes/",
    "/_util/",
    "/en/_util/",
)


def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in PRIVATE_PREFIXES)]
    lines.append(f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _sitemap_entries(request) -> list[dict]:
    entries = []
    pages = Page.objects.live().public().filter(depth__gt=1).select_related("locale").order_by("path")
    by_key = defaultdict(list)
    for page in pages:
        by_key[page.translation_key].append(page)
    for group in by_key.values():
        versions = [
            {"lang_code": page.locale.language_code, "location": _absolute(page, request)} for page in group
        ]
        for page, version in zip(group, versions, strict=True):
            entries.append(
                {
                    "location": version["location"],
                    "lastmod": page.last_published_at or page.latest_revision_created_at,
                    "alternates": versions if len(versions) > 1 else [],
                }
            )
    for name in APP_INDEXES:
        versions = []
        for code, _label in settings.LANGUAGES:
            with translation.override(code):
                versions.append({"lang_code": code, "location": f"{settings.SITE_URL}{reverse(name)}"})
        entries += [{"location": v["location"], "lastmod": None, "alternates": versions} for v in versions]
    return entries


def _absolute(page, request) -> str:
    """Every absolute link starts with SITE_URL (Wagtail's Site may still say localhost)."""
    url = page.get_url(request=request)
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


@cache_page(60 * 60)
def sitemap_xml(request):
    from django.template.loader import render_to_string

    body = render_to_string(
        "sitemap.xml", {"urlset": _sitemap_entries(request)}, request=request
    )  # django.contrib.sitemaps' template: <url>, <lastmod>, <xhtml:link rel="alternate" hreflang>
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


def favicon(request):
    return redirect(static("img/favicon.ico"), permanent=True)
