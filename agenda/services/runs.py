"""Import runs of agenda feeds: the source's `ImportRun` rows (kind "agenda"), through the sources app.

`sources.services.runs` owns the life cycle and `finish_run` applies the sources' alert rule, so an
agenda feed that breaks alerts its maintainers exactly like a map feed. This module only adapts it:
the run remembers its feed, per-VEVENT errors become `RunError` rows, and state and level follow
GoGoCarto's rule (`state_for`/`level_for`) on the number of events read.
"""

from sources.models import ImportRun, RunError
from sources.services import runs as source_runs


def start_run(*, feed, trigger: str = ImportRun.Trigger.SCHEDULE) -> ImportRun:
    run = source_runs.start_run(
        source=feed.source, kind=ImportRun.Kind.AGENDA, trigger=trigger, feed_url=feed.url
    )
    run.counters = {"feed_id": feed.pk}
    source_runs.set_state(run=run, state=ImportRun.State.DOWNLOADING)
    return run


def heartbeat(*, run: ImportRun, state: str | None = None) -> None:
    if state:
        source_runs.set_state(run=run, state=state)
    else:
        source_runs.heartbeat(run=run)


def finish_run(
    *,
    run: ImportRun,
    counters: dict | None = None,
    errors=(),
    reason: str = "",
    detail: str = "",
    records: int = 0,
    **fields,
) -> ImportRun:
    """Close a run. `errors` are (position, uid, message) triples; `records` is how many events were
    read (good and broken); a `reason` means the run failed as a whole."""
    errors = list(errors)
    RunError.objects.bulk_create(
        [
            RunError(
                run=run,
                position=position,
                element_id=(uid or "")[:300],
                stage="vevent",
                message=message[:500],
            )
            for position, uid, message in errors
        ]
    )
    if reason:
        state, level = ImportRun.State.FAILED, ImportRun.Level.ERROR
    else:
        count = max(records, len(errors))
        state = source_runs.state_for(count=count, errors=len(errors))
        level = source_runs.level_for(count=count, errors=len(errors))
    for name, value in fields.items():
        setattr(run, name, value)
    return source_runs.finish_run(
        run=run,
        state=state,
        level=level,
        reason=reason,
        detail=detail,
        counters={**run.counters, **(counters or {})},
    )
