"""Sources: the registry, first-hand feed checks, reports and the per-source dashboard."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = _("Sources")

    def ready(self):
        from sources import signals  # noqa: F401 (receivers)
