"""Snippets of the kits app in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

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
