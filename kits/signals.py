"""Signal receivers: thin, they call services and queue tasks after the commit."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from wagtail.signals import page_published

from django_q.tasks import async_task

from accounts.signals import account_deleting
from kits import services
from kits.models import KitPage, TrainingSession


@receiver(page_published, sender=KitPage)
def kit_published(sender, instance, **kwargs):
    if instance.version > 1:
        transaction.on_commit(partial(async_task, "kits.tasks.notify_new_version", instance.pk))


@receiver(pre_save, sender=TrainingSession)
def session_saving(sender, instance, raw=False, **kwargs):
    # Sessions are edited as Wagtail snippets (and could be from anywhere): what the row held before the
    # save tells the post_save receiver what changed.
    instance._stored_details = None if raw else services.session_stored_details(session=instance)


@receiver(post_save, sender=TrainingSession)
def session_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    previous = None if raw else getattr(instance, "_stored_details", None)
    instance._stored_details = None
    changes = services.session_details_saved(session=instance, previous=previous, update_fields=update_fields)
    if changes:
        transaction.on_commit(
            partial(async_task, "kits.tasks.notify_session_change", instance.pk, sorted(changes))
        )
    transaction.on_commit(partial(async_task, "kits.tasks.sync_session_to_agenda", instance.pk))
    transaction.on_commit(partial(async_task, "kits.tasks.fill_freed_seats", instance.pk))


@receiver(account_deleting)
def cancel_registrations_of_deleted_account(sender, user, **kwargs):
    services.registrations_cancel_for_account(user=user)
