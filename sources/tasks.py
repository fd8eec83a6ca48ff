"""django-q2 tasks of the sources app: thin wrappers around the services."""

import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from django_q.tasks import async_task

from sources.models import ImportRun, Source
from sources.services import alerts, checks, map_counts, runs
from sources.services.feeds import FeedError

logger = logging.getLogger(__name__)


def max_concurrent_checks() -> int:
    return getattr(settings, "SOURCES_MAX_CONCURRENT_CHECKS", 3)


def check_due_sources() -> list[int]:
    """Every few minutes: recover dead runs, then queue the due checks, at most N running at once."""
    runs.recover_unfinished()
    running = ImportRun.objects.filter(kind=ImportRun.Kind.MAP_FEED).exclude(
        state__in=ImportRun.FINISHED_STATES
    )
    slots = max_concurrent_checks() - running.count()
    if slots <= 0:
        return []
    now = timezone.now()
    due = (
        Source.objects.filter(is_active=True)
        .exclude(feed_url="")
        .filter(Q(next_check_at__isnull=True) | Q(next_check_at__lte=now))
        .exclude(pk__in=running.values("source_id"))
        .order_by("next_check_at", "pk")[:slots]
    )
    queued = []
    for source in due:
        # Claim it so the next tick does not queue it twice while the worker is busy.
        Source.objects.filter(pk=source.pk).update(next_check_at=now + runs.stale_after())
        async_task("sources.tasks.check_source", source.pk, task_name=f"check-source-{source.slug}")
        queued.append(source.pk)
    return queued


def check_source(source_id: int) -> int | None:
    source = Source.objects.filter(pk=source_id, is_active=True).first()
    if source is None:
        return None
    run = checks.check_source(source=source, trigger=ImportRun.Trigger.SCHEDULE)
    return run.pk if run else None


def check_source_now(source_id: int) -> int | None:
    """A check asked for from the dashboard (dropped if one is already running)."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return None
    run = checks.check_source(source=source, trigger=ImportRun.Trigger.MANUAL)
    return run.pk if run else None


def check_source_confirmed(source_id: int) -> int | None:
    """A check after a maintainer confirmed a sharp drop: applied even if the drop is still there."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return None
    run = checks.check_source(source=source, trigger=ImportRun.Trigger.MANUAL, confirm_drop=True)
    return run.pk if run else None


def refresh_map_counts() -> dict:
    try:
        return map_counts.refresh_map_counts()
    except FeedError as error:
        logger.warning("Could not count the map's elements: %s", error.reason)
        return {}


def send_daily_digests() -> int:
    return alerts.send_daily_digests()
