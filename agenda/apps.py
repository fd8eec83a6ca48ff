"""Aggregated agenda: the sources' ICS feeds, moderation, public agenda and ICS/RSS out."""

from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _


def _forget_deleted_submitter(sender, instance, **kwargs):
    # The accounts app deletes with user.delete() and offers no per-app hook: proposals stay in the
    # agenda, but without the name and e-mail of the person who deleted their account.
    from .services.moderation import forget_submitter

    forget_submitter(user=instance)


class AgendaConfig(AppConfig):
    name = "agenda"
    verbose_name = _("Agenda")

    def ready(self):
        pre_delete.connect(
            _forget_deleted_submitter, sender=settings.AUTH_USER_MODEL, dispatch_uid="agenda_forget_submitter"
        )
