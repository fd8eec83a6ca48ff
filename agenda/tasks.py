"""Background work of the agenda (django-q2): thin wrappers around the import service."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from django_q.tasks import async_task

from sources.models import ImportRun

from .models import AgendaFeed
from .services.imports import import_feed


def refresh_hours() -> int:
    return int(getattr(settings, "AGENDA_REFRESH_HOURS", 6))


def import_feed_task(feed_id: int) -> str:
    feed = AgendaFeed.objects.select_related("source").filter(pk=feed_id, is_active=True).first()
    if feed is None:
        return "skipped"
    return import_feed(feed=feed, trigger=ImportRun.Trigger.SCHEDULE).state


def queue_feed_import(*, feed_id: int) -> None:
    async_task("agenda.tasks.import_feed_task", feed_id, task_name=f"agenda-feed-{feed_id}")


def import_due_feeds() -> int:
    """Queue an import of every active feed not imported for `AGENDA_REFRESH_HOURS` hours."""
    due_before = timezone.now() - timedelta(hours=refresh_hours())
    feed_ids = list(
        AgendaFeed.objects.filter(is_active=True, source__is_active=True)
        .filter(Q(last_import_at__isnull=True) | Q(last_import_at__lt=due_before))
        .values_list("pk", flat=True)
    )
    for feed_id in feed_ids:
        queue_feed_import(feed_id=feed_id)
    return len(feed_ids)
