"""Snippets of the kits app in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core import extensions
from kits import selectors as kits_selectors
from kits.models import FaqCategory, FaqEntry, ResponsibleGroup, TrainingSession


class FaqEntryViewSet(SnippetViewSet):
    model = FaqEntry
    icon = "help"
    list_display = ["question", "category", "live", "locale"]
    list_filter = ["live", "category", "locale"]
    search_fields = ["question", "answer"]


class FaqCategoryViewSet(SnippetViewSet):
    model = FaqCategory
    icon = "folder-open-inverse"
    list_display = ["name", "sort_order", "locale"]


class ResponsibleGroupViewSet(SnippetViewSet):
    model = ResponsibleGroup
    icon = "group"


class TrainingSessionViewSet(SnippetViewSet):
    model = TrainingSession
    icon = "date"
    list_display = ["__str__", "kind", "capacity", "trainer", "is_cancelled"]
    list_filter = ["kind", "is_cancelled"]
    ordering = ["-start"]


class KitsGroup(SnippetViewSetGroup):
    menu_label = _("Kits et formations")
    menu_icon = "pick"
    menu_order = 300
    items = (TrainingSessionViewSet, FaqEntryViewSet, FaqCategoryViewSet, ResponsibleGroupViewSet)


register_snippet(KitsGroup)


# Extension points (core/extensions.py): what this app adds to screens it does not own.
hooks.register(extensions.HOME_SECTION, kits_selectors.home_section, order=20)
hooks.register(extensions.KEY_FIGURES, kits_selectors.key_figures, order=20)
hooks.register(extensions.PERSONAL_DATA, kits_selectors.personal_data)


@hooks.register(extensions.DEMO, order=40)
def load_demo(*, stdout):
    from kits import demo  # imported only when the demo is loaded

    demo.load(stdout=stdout)
