"""Admin hooks of the kernel: the e-mail suppression list, read in the snippets."""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.models import SuppressedAddress


class SuppressedAddressViewSet(SnippetViewSet):
    model = SuppressedAddress
    icon = "warning"
    menu_label = _("Adresses bloquées")
    list_display = ["email", "reason", "events", "last_seen_at"]
    list_filter = ["reason"]
    search_fields = ["email"]
    add_to_admin_menu = False


register_snippet(SuppressedAddressViewSet)
