"""Signal receivers: thin, they queue tasks after the commit."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from wagtail.signals import page_published

from django_q.tasks import async_task

from kits.models import KitPage, TrainingSession


@receiver(page_published, sender=KitPage)
def kit_published(sender, instance, **kwargs):
    if instance.version > 1:
        transaction.on_commit(partial(async_task, "kits.tasks.notify_new_version", instance.pk))


@receiver(post_save, sender=TrainingSession)
def session_saved(sender, instance, **kwargs):
    transaction.on_commit(partial(async_task, "kits.tasks.sync_session_to_agenda", instance.pk))
    transaction.on_commit(partial(async_task, "kits.tasks.fill_freed_seats", instance.pk))
