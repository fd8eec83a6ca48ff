"""Home: the page tree's root, standard and form pages, menus, footer, site settings."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Accueil")

    def ready(self):
        from home import signals

        signals.connect()
