"""Thin hooks: a new source gets its forum category; maintainers watch it; new people get a forum handle."""

from django.conf import settings
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from sources.models import Source

from . import services


@receiver(post_save, sender=Source, dispatch_uid="community_source_category")
def source_saved(sender, instance, created, raw=False, **kwargs):
    if not raw:
        services.category_for_source_ensure(source=instance)


@receiver(m2m_changed, sender=Source.maintainers.through, dispatch_uid="community_source_maintainers")
def source_maintainers_changed(sender, instance, action, reverse=False, **kwargs):
    if action == "post_add" and not reverse:
        services.source_maintainers_watch(source=instance)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="community_forum_profile")
def user_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        services.forum_profile_ensure(user=instance)
