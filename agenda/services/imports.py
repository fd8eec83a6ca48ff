"""Importing an agenda feed: read it, upsert its occurrences, mark the ones that left, record the run.

`import_feed` downloads (or reads) the feed; `import_feed_content` does the rest from the bytes, so the
demo and the operators' command use exactly the same code as the schedule.
A failed download or parse records a failed run and leaves the events already imported untouched.
"""

import hashlib
from datetime import date, datetime, time

from django.db import DatabaseError, connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.bulk_sql import insert_rows
from core.territories import departement_of, region_of
from sources.models import ImportRun

from .. import signals
from ..models import AgendaFeed, Event, category_index
from . import runs
from .download import FeedUnavailable, fetch
from .duplicates import detect_duplicates
from .ics import PARIS, FeedUnparseable, default_window, parse_feed

STORED_FIELDS = [
    "title", "description", "url", "location", "latitude", "longitude", "departement", "region", "start",
    "end", "all_day", "status", "sequence", "last_modified", "categories", "category_index", "organiser",
    "content_hash", "removed_at", "source", "updated_at",
]  # fmt: skip
BATCH = 1000

EMPTY_COUNTERS = {
    "events_created": 0,
    "events_updated": 0,
    "events_unchanged": 0,
    "events_removed": 0,
    "events_cancelled": 0,
    "occurrences": 0,
}


def import_feed(
    *,
    feed: AgendaFeed,
    trigger: str = ImportRun.Trigger.SCHEDULE,
    window_start: date | None = None,
    window_end: date | None = None,
    allow_files: bool = False,
    conditional: bool = True,
) -> ImportRun:
    """Download the feed and import it. Never raises for a bad feed: the run says what went wrong."""
    run = runs.start_run(feed=feed, trigger=trigger)
    try:
        fetched = fetch(
            location=feed.url,
            etag=feed.etag if conditional else "",
            last_modified=feed.last_modified_header if conditional else "",
            allow_files=allow_files,
        )
    except FeedUnavailable as error:
        return runs.finish_run(
            run=run, counters=dict(EMPTY_COUNTERS), reason=error.reason, detail=error.detail
        )
    if fetched.not_modified:
        unchanged = Event.objects.filter(feed=feed, removed_at__isnull=True).count()
        feed.last_import_at = timezone.now()
        feed.save(update_fields=["last_import_at"])
        return runs.finish_run(
            run=run,
            counters={**EMPTY_COUNTERS, "events_unchanged": unchanged},
            not_modified=True,
            http_status=304,
        )
    run.http_status, run.bytes_read = fetched.http_status, fetched.bytes_read
    return import_feed_content(
        feed=feed,
        content=fetched.content,
        run=run,
        window_start=window_start,
        window_end=window_end,
        etag=fetched.etag,
        last_modified_header=fetched.last_modified,
    )


def import_feed_content(
    *,
    feed: AgendaFeed,
    content: bytes | str,
    run: ImportRun | None = None,
    trigger: str = ImportRun.Trigger.MANUAL,
    window_start: date | None = None,
    window_end: date | None = None,
    etag: str = "",
    last_modified_header: str = "",
) -> ImportRun:
    """Import an ICS body into `feed`'s events and close the run (one is started if none is given)."""
    run = run or runs.start_run(feed=feed, trigger=trigger)
    default_start, default_end = default_window()
    window_start, window_end = window_start or default_start, window_end or default_end
    run.bytes_read = run.bytes_read or len(content or b"")
    run.save(update_fields=["bytes_read", "http_status"])
    runs.heartbeat(run=run, state=ImportRun.State.IN_PROGRESS)
    try:
        parsed = parse_feed(content or b"", window_start=window_start, window_end=window_end)
    except FeedUnparseable as error:
        return runs.finish_run(run=run, counters=dict(EMPTY_COUNTERS), reason=str(error))

    try:
        with transaction.atomic():
            counters, errors = _store(
                feed=feed, parsed=parsed, window_start=window_start, window_end=window_end
            )
            feed.last_import_at = timezone.now()
            feed.etag, feed.last_modified_header = etag, last_modified_header
            feed.save(update_fields=["last_import_at", "etag", "last_modified_header"])
            counters["duplicates_merged"], counters["duplicates_to_review"] = detect_duplicates(
                events=Event.objects.filter(
                    feed=feed, removed_at__isnull=True, updated_at__gte=run.started_at
                )
            )
            signals.events_stored.send(
                sender=Event,
                feed=feed,
                event_ids=list(
                    Event.objects.filter(feed=feed, updated_at__gte=run.started_at).values_list(
                        "pk", flat=True
                    )
                ),
            )
    except DatabaseError as error:
        # Rolled back as a whole: the events stay as the last good run left them.
        reason = _("Enregistrement impossible : %(error)s") % {"error": " ".join(str(error).split())[:300]}
        return runs.finish_run(run=run, counters=dict(EMPTY_COUNTERS), reason=reason)
    counters["window"] = [window_start.isoformat(), window_end.isoformat()]
    return runs.finish_run(
        run=run,
        counters=counters,
        errors=parsed.errors + errors,
        records=len(parsed.occurrences) + len(parsed.errors),
    )


def _content_hash(values: dict) -> str:
    # repr of str, numbers, lists and aware datetimes is stable: the same occurrence gives the same hash.
    payload = repr(sorted(values.items()))
    return hashlib.sha256(payload.encode()).hexdigest()


def _values(occurrence: dict, *, feed: AgendaFeed) -> dict:
    departement = departement_of(occurrence["postcode"]) or departement_of(feed.territory)
    region = region_of(departement) if departement else region_of(feed.territory)
    categories = list(occurrence["categories"])
    categories += [category for category in feed.default_categories or [] if category not in categories]
    values = {key: occurrence[key] for key in STORED_FIELDS if key in occurrence}
    values.update(
        departement=departement,
        region=region,
        categories=categories,
        category_index=category_index(categories),
    )
    values["content_hash"] = _content_hash(values)
    return values


def _insert(rows: list[dict], *, now) -> None:
    """New events, as dicts by column attribute completed with the model's defaults, written with the
    portal's executemany INSERT (`core.bulk_sql`): the ORM's per-object work dominated large imports."""
    if not rows:
        return
    connection = connections[router.db_for_write(Event)]
    fields = [field for field in Event._meta.concrete_fields if not field.primary_key]
    template = Event()
    defaults = {field.attname: getattr(template, field.attname) for field in fields}
    defaults["first_seen_at"] = defaults["updated_at"] = now
    prepared = {
        field.attname: field
        for field in fields
        if isinstance(field, models.DateTimeField | models.JSONField | models.DateField)
    }
    attnames = [field.attname for field in fields]

    def values(row: dict) -> tuple:
        row = {**defaults, **row}
        return tuple(
            prepared[name].get_db_prep_save(row[name], connection) if name in prepared else row[name]
            for name in attnames
        )

    insert_rows(Event, attnames, (values(row) for row in rows), batch_size=BATCH)


def _store(*, feed, parsed, window_start, window_end) -> tuple[dict, list]:
    now = timezone.now()
    existing = {
        (uid, recurrence_id): (pk, content_hash, removed_at)
        for pk, uid, recurrence_id, content_hash, removed_at in Event.objects.filter(feed=feed).values_list(
            "pk", "uid", "recurrence_id", "content_hash", "removed_at"
        )
    }
    counters = {**EMPTY_COUNTERS, "occurrences": parsed.occurrence_count}
    counters["events_cancelled"] = parsed.cancelled_components
    errors, seen, to_create, to_update = [], set(), [], []
    for occurrence in parsed.occurrences:
        key = (occurrence["uid"], occurrence["recurrence_id"])
        if key in seen:
            errors.append(
                (None, key[0], _("UID en double dans le flux : seule la première occurrence est gardée."))
            )
            continue
        seen.add(key)
        values = _values(occurrence, feed=feed)
        found = existing.get(key)
        if found is None:
            to_create.append(
                {
                    "origin": Event.Origin.FEED,
                    "feed_id": feed.pk,
                    "source_id": feed.source_id,
                    "uid": key[0],
                    "recurrence_id": key[1],
                    **values,
                }
            )
        elif found[1] == values["content_hash"] and found[2] is None:
            counters["events_unchanged"] += 1
        else:
            to_update.append(
                Event(pk=found[0], **values, source_id=feed.source_id, removed_at=None, updated_at=now)
            )
    _insert(to_create, now=now)
    Event.objects.bulk_update(to_update, STORED_FIELDS, batch_size=BATCH)
    counters["events_created"], counters["events_updated"] = len(to_create), len(to_update)

    window_from = datetime.combine(window_start, time.min, tzinfo=PARIS)
    window_to = datetime.combine(window_end, time.min, tzinfo=PARIS)
    gone = [pk for key, (pk, _hash, removed_at) in existing.items() if removed_at is None and key not in seen]
    removed = 0
    for offset in range(0, len(gone), BATCH):
        # The feed was read for occurrences overlapping the window (recurring-ical-events' rule), so an
        # event already under way when the window opens (a festival started yesterday) has left the feed
        # too; events over before the window stay as history.
        removed += Event.objects.filter(
            pk__in=gone[offset : offset + BATCH], end__gt=window_from, start__lt=window_to
        ).update(removed_at=now, updated_at=now)
    counters["events_removed"] = removed
    return counters, errors
