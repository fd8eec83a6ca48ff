"""Import runs of agenda feeds, recorded as the source's `ImportRun` rows (kind "agenda").

The sources app owns the run life cycle and the alert rules; until its `sources.services.runs` exists
in this branch, these two functions create and close the rows themselves, with the same vocabulary
(state, level, counters, reason).
"""

from django.utils import timezone

from sources.models import ImportRun, RunError


def start_run(*, feed, trigger: str = ImportRun.Trigger.SCHEDULE) -> ImportRun:
    return ImportRun.objects.create(
        source=feed.source,
        kind=ImportRun.Kind.AGENDA,
        feed_url=feed.url[:1000],
        trigger=trigger,
        state=ImportRun.State.DOWNLOADING,
        heartbeat_at=timezone.now(),
        counters={"feed_id": feed.pk},
    )


def finish_run(
    *, run: ImportRun, counters: dict | None = None, errors=(), reason: str = "", **fields
) -> ImportRun:
    """Close a run: `errors` are (position, uid, message) triples; a `reason` means the run failed."""
    RunError.objects.bulk_create(
        [
            RunError(run=run, position=position, element_id=(uid or "")[:300], stage="vevent", message=message[:500])
            for position, uid, message in errors
        ]
    )
    if reason:
        run.state, run.level = ImportRun.State.FAILED, ImportRun.Level.ERROR
        run.reason = " ".join(reason.split())[:500]
    elif errors:
        run.state, run.level = ImportRun.State.ERRORS, ImportRun.Level.WARNING
    else:
        run.state, run.level = ImportRun.State.COMPLETED, ImportRun.Level.SUCCESS
    run.counters = {**run.counters, **(counters or {})}
    for name, value in fields.items():
        setattr(run, name, value)
    run.finished_at = run.heartbeat_at = timezone.now()
    run.save()
    return run
