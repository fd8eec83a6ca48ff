"""A link from the Wagtail admin menu to the team's support screens (which are plain Django views)."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.permissions import can_triage_support


class SupportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_triage_support(request.user)


@hooks.register("register_admin_menu_item")
def register_support_menu_item():
    return SupportMenuItem(
        _("Demandes d'accompagnement"), reverse_lazy("support:team_queue"), icon_name="help", order=250
    )
