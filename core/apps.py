"""The kernel: e-mail, the suppression list, territories, sanitising, bulk SQL, the outside fetcher.

It sits at the bottom of the stack and imports no feature app (see ARCHITECTURE.md)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Noyau")

    def ready(self):
        from core import checks, signals  # noqa: F401  (system checks; the anymail tracking receiver)
