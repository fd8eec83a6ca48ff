"""Search: one index of everything a person can look for on the portal, behind one engine interface."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Recherche")

    def ready(self):
        from core import text_search
        from search import receivers  # noqa: F401  (connects the indexers to the other apps' signals)
        from search.selectors import matching_pks

        text_search.register(matching_pks)
