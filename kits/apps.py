"""Kits, remote trainings, one-to-one requests and FAQs."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KitsConfig(AppConfig):
    name = "kits"
    verbose_name = _("Kits et formations")

    def ready(self):
        from kits import signals  # noqa: F401
