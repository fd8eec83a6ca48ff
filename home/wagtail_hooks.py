"""Admin and serving hooks of the home app."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.models import SuppressedAddress


@hooks.register("before_serve_page")
def remember_served_page(page, request, serve_args, serve_kwargs):
    """The language switch links to the page's own translations (see home.context_processors)."""
    request.wagtail_page = page


class SuppressedAddressViewSet(SnippetViewSet):
    model = SuppressedAddress
    icon = "warning"
    menu_label = _("Adresses bloquées")
    list_display = ["email", "reason", "events", "last_seen_at"]
    list_filter = ["reason"]
    search_fields = ["email"]
    add_to_admin_menu = False


register_snippet(SuppressedAddressViewSet)
