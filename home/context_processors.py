"""What every page's frame needs: language switch links, the navigation and the footer."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The sections of the site, in menu order. A section whose app does not (yet) name the URL is left out.
DEFAULT_MAIN_MENU = [
    ("sources:index", _("Sources")),
    ("agenda:index", _("Agenda")),
    ("kits:index", _("Kits et formations")),
    ("community:index", _("Communauté")),
    ("support:index", _("Accompagnement")),
    ("stories:index", _("Récits")),
]


def _menu(request, entries):
    items = []
    for url_name, title in entries:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "title": title, "current": request.path.startswith(url) and url != "/"})
    return items


def _home_page(request):
    from wagtail.models import Site

    site = Site.find_for_request(request)
    return site.root_page.localized if site else None


def _page_menu(request):
    """Pages the editors ticked "show in menus", under the home page of the current language."""
    home = _home_page(request)
    if home is None:
        return []
    return [
        {"url": page.get_url(request), "title": page.title, "current": request.path == page.get_url(request)}
        for page in home.get_children().live().in_menu().public().specific(defer=True)
    ]


def language_links(request):
    """For each language, the same page in that language: a Wagtail page's translation (or that
    language's home page when it has none), and the same path with the language prefix otherwise."""
    page = getattr(request, "wagtail_page", None)
    translations = {}
    if page is not None:
        translations = {
            translation.locale.language_code: translation
            for translation in page.get_translations(inclusive=True).live().select_related("locale")
        }
    links = []
    for code, name in settings.LANGUAGES:
        if page is not None:
            translation = translations.get(code)
            url = translation.get_url(request) if translation else translate_url("/", code)
        else:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "current": code == get_language()})
    return links


def _footer(request):
    from home.models import PortalSettings

    portal_settings = PortalSettings.for_request(request)
    legal = portal_settings.legal_page.localized if portal_settings.legal_page_id else None
    return {"settings": portal_settings, "links": portal_settings.footer_links, "legal_page": legal}


def site_chrome(request):
    return {
        "language_links": lambda: language_links(request),
        "main_menu": lambda: _menu(request, DEFAULT_MAIN_MENU) + _page_menu(request),
        "footer": lambda: _footer(request),
        "SITE_URL": settings.SITE_URL,
    }
