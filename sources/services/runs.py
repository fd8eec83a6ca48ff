"""The life of an `ImportRun`, for both kinds (map-feed checks here, agenda imports in the agenda app).

    run = start_run(source=source, kind="agenda", trigger="schedule", feed_url=url)
    ... heartbeat(run=run) every so often while working ...
    finish_run(run=run, state="completed", level="success", counters={...})

`finish_run` calls `alerts.run_finished`, so every finished run, whatever its kind, goes through the
once-per-incident alert rule. A run whose worker died never finishes by itself:
`recover_unfinished` marks it failed once it has shown no sign of life for a while.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.errors import Conflict
from sources.models import ImportRun, Source

logger = logging.getLogger(__name__)

INTERRUPTED_REASON = "Exécution interrompue : plus aucun signe de vie du processus (arrêté ou tué)"


class CheckAlreadyRunning(Conflict):
    """Another check of this source's map feed is under way: this one does not start."""


def start_run(*, source: Source, kind: str, trigger: str, feed_url: str) -> ImportRun:
    """Create the run record, in state `started`, with a first heartbeat.

    A map-feed check is also the source's claim: the database holds one unfinished check per source
    (constraint `one_unfinished_check_per_source`), so a second one raises `CheckAlreadyRunning`
    before doing anything, whatever the worker or the moment. A dead run of this source (silent for
    `stale_after()`) is closed first, so it does not block the next check."""
    now = timezone.now()
    if kind == ImportRun.Kind.MAP_FEED:
        recover_unfinished(now=now, source=source)
    try:
        with transaction.atomic():
            return ImportRun.objects.create(
                source=source,
                kind=kind,
                trigger=trigger,
                feed_url=feed_url[:1000],
                state=ImportRun.State.STARTED,
                heartbeat_at=now,
            )
    except IntegrityError:
        raise CheckAlreadyRunning() from None


def heartbeat(*, run: ImportRun) -> None:
    """Say the run is still alive (one UPDATE, no other field touched)."""
    run.heartbeat_at = timezone.now()
    ImportRun.objects.filter(pk=run.pk).update(heartbeat_at=run.heartbeat_at)


def set_state(*, run: ImportRun, state: str) -> None:
    """Move an unfinished run to `downloading` or `in_progress` (with a heartbeat)."""
    run.state = state
    run.heartbeat_at = timezone.now()
    ImportRun.objects.filter(pk=run.pk).update(state=state, heartbeat_at=run.heartbeat_at)


def finish_run(
    *,
    run: ImportRun,
    state: str,
    level: str,
    reason: str = "",
    detail: str = "",
    counters: dict | None = None,
) -> ImportRun:
    """Close the run in a finished state and apply the alert rule (see `alerts.run_finished`).

    `reason` is shown to everyone (public status): a fixed message, translated when shown; `detail`
    (what exactly failed: host, address, figures) only to the source's maintainers."""
    from sources.services import alerts

    if state not in ImportRun.FINISHED_STATES:
        raise ValueError(f"{state!r} is not a finished state")
    run.state = state
    run.level = level
    run.reason = " ".join((reason or "").split())[:500]
    run.detail = " ".join((detail or "").split())[:500]
    if counters is not None:
        run.counters = counters
    run.finished_at = timezone.now()
    run.heartbeat_at = run.finished_at
    run.save()
    alerts.run_finished(run=run)
    return run


def stale_after() -> timedelta:
    """How long a run may stay silent before it counts as dead. A live run beats at least every
    `core.http.PROGRESS_EVERY_SECONDS` while downloading and every 5,000 records while validating."""
    return timedelta(minutes=getattr(settings, "SOURCES_RUN_STALE_MINUTES", 5))


def recover_unfinished(*, now=None, source: Source | None = None) -> list[ImportRun]:
    """Mark failed every unfinished run (of any kind; of `source` only, if given) whose heartbeat is
    older than `stale_after()`."""
    now = now or timezone.now()
    limit = now - stale_after()
    unfinished = ImportRun.objects.exclude(state__in=ImportRun.FINISHED_STATES)
    if source is not None:
        unfinished = unfinished.filter(source=source)
    stale = (
        unfinished.annotate(last_sign=Coalesce("heartbeat_at", "started_at"))
        .filter(Q(last_sign__lt=limit))
        .select_related("source")
    )
    recovered = []
    for run in stale:
        logger.warning("Run %s of %s left unfinished: marking it failed", run.pk, run.source)
        recovered.append(
            finish_run(
                run=run, state=ImportRun.State.FAILED, level=ImportRun.Level.ERROR, reason=INTERRUPTED_REASON
            )
        )
    return recovered


def level_for(*, count: int, errors: int) -> str:
    """GoGoCarto's rule: success without errors, warning up to a quarter of the records, error beyond."""
    if errors == 0:
        return ImportRun.Level.SUCCESS
    if errors * 4 <= count:
        return ImportRun.Level.WARNING
    return ImportRun.Level.ERROR


def state_for(*, count: int, errors: int) -> str:
    if errors == 0:
        return ImportRun.State.COMPLETED
    if errors >= count:
        return ImportRun.State.FAILED
    return ImportRun.State.ERRORS
