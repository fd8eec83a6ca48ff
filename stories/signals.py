"""Reactions to other apps' changes. Thin: each one calls a service."""

from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from wagtail.signals import page_published

from sources.models import Source
from stories import services
from stories.models import StoryPage, Submission


@receiver(pre_save, sender=Source, dispatch_uid="stories_source_was_active")
def remember_previous_activity(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._stories_was_active = False
        return
    instance._stories_was_active = (
        Source.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first() or False
    )


@receiver(post_save, sender=Source, dispatch_uid="stories_source_joined")
def prepare_announcement_when_source_joins(sender, instance, created, raw=False, **kwargs):
    """A source that joins (created active, or switched on) gets its space and a draft announcement."""
    if raw or not instance.is_active:
        return
    if created or not getattr(instance, "_stories_was_active", True):
        services.source_announcement_prepare(source=instance)


@receiver(m2m_changed, sender=Source.maintainers.through, dispatch_uid="stories_source_maintainers")
def sync_source_group(sender, instance, action, reverse=False, pk_set=None, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    sources = [instance] if not reverse else list(Source.objects.filter(pk__in=pk_set or []))
    if reverse and action == "post_clear":
        sources = list(instance.maintained_sources.all())
    for source in sources:
        services.source_maintainers_sync(source=source)


@receiver(page_published, sender=StoryPage, dispatch_uid="stories_submission_published")
def mark_submissions_published(sender, instance, **kwargs):
    Submission.objects.filter(story=instance).exclude(status=Submission.Status.PUBLISHED).update(
        status=Submission.Status.PUBLISHED
    )
