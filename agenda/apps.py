"""Aggregated agenda: the sources' ICS feeds, moderation, public agenda and ICS/RSS out."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "agenda"
    verbose_name = _("Agenda")
