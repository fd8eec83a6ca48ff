"""The agenda in Wagtail's admin: feeds as snippets, and a menu entry to the moderation page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from agenda import selectors as agenda_selectors
from core import extensions

from .models import AgendaFeed


class AgendaFeedViewSet(SnippetViewSet):
    model = AgendaFeed
    icon = "date"
    menu_label = _("Flux d'agenda")
    add_to_admin_menu = True
    list_display = ["__str__", "source", "is_active", "is_hidden", "last_import_at"]
    list_filter = ["is_active", "is_hidden"]
    search_fields = ["name", "url"]
    search_backend_name = None
    panels = [
        FieldPanel("source"),
        FieldPanel("name"),
        FieldPanel("url"),
        FieldPanel("default_categories"),
        FieldPanel("territory"),
        FieldPanel("is_active"),
        FieldPanel("is_hidden"),
    ]


register_snippet(AgendaFeedViewSet)


@hooks.register("register_admin_menu_item")
def register_agenda_moderation_menu_item():
    return MenuItem(_("Modération de l'agenda"), reverse("agenda:moderation"), icon_name="tick", order=310)


# Extension points (core/extensions.py): what this app adds to screens it does not own.
hooks.register(extensions.HOME_SECTION, agenda_selectors.home_section, order=10)
hooks.register(extensions.KEY_FIGURES, agenda_selectors.key_figures, order=10)
hooks.register(extensions.PERSONAL_DATA, agenda_selectors.personal_data)


@hooks.register(extensions.DEMO, order=50)
def load_demo(*, stdout):
    from agenda import demo  # imported only when the demo is loaded

    demo.load(stdout=stdout)
