"""What every page's frame needs: language switch links and the navigation."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
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


def site_chrome(request):
    def language_links():
        page = getattr(request, "wagtail_page", None) if hasattr(request, "wagtail_page") else None
        links = []
        for code, name in settings.LANGUAGES:
            url = None
            if page is not None:
                translation = page.get_translations(inclusive=True).filter(locale__language_code=code).first()
                url = translation.url if translation else None
            if url is None:
                url = translate_url(request.get_full_path(), code)
            links.append({"code": code, "name": name, "url": url})
        return links

    return {
        "language_links": language_links,
        "main_menu": lambda: _menu(request, DEFAULT_MAIN_MENU),
        "footer_menu": [],
        "SITE_URL": settings.SITE_URL,
    }
