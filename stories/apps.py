"""Stories with sources, calls for testimonies and the sources showcase."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = _("Récits")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from stories import signals  # noqa: F401
