"""A link from the Wagtail admin menu to the team's support screens (which are plain Django views)."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.permissions import can_triage_support
from core import extensions
from support import selectors as support_selectors


class SupportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_triage_support(request.user)


@hooks.register("register_admin_menu_item")
def register_support_menu_item():
    return SupportMenuItem(
        _("Demandes d'accompagnement"), reverse_lazy("support:team_queue"), icon_name="help", order=250
    )


# Extension points (core/extensions.py): what this app adds to screens it does not own.
hooks.register(extensions.HOME_SECTION, support_selectors.home_section, order=60)
hooks.register(extensions.KEY_FIGURES, support_selectors.key_figures, order=60)
hooks.register(extensions.PERSONAL_DATA, support_selectors.personal_data)


@hooks.register(extensions.DEMO, order=70)
def load_demo(*, stdout):
    from support import demo  # imported only when the demo is loaded

    demo.load(stdout=stdout)
