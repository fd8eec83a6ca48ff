"""A check of a source's map feed, first-hand, with GoGoCarto's vocabulary and counters.

`check_source` downloads the feed (conditional GET), validates every record, compares the usable ones
with the source's previous successful snapshot, looks for potential duplicates, and stores the run with
its per-record errors. Only a run that is not `failed` replaces the snapshot.
"""

import gc
import logging
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from django_q.tasks import async_task

from core import http
from core.bulk_sql import insert_rows, update_rows
from core.errors import Conflict
from sources import signals
from sources.models import ImportRun, OnboardingStep, RunError, Source, SourceElement
from sources.services import duplicates, feeds, runs

logger = logging.getLogger(__name__)

COUNTER_NAMES = [
    "elementsCount",
    "elementsErrorsCount",
    "elementsMissingGeoCount",
    "elementsMissingTaxoCount",
    "elementsCreatedCount",
    "elementsUpdatedCount",
    "elementsNothingToDoCount",
    "elementsDeletedCount",
    "potentialDuplicatesCount",
]
BATCH_SIZE = 2000  # rows per INSERT / UPDATE batch and per chunk read
CHANGES_KEPT = 200  # ids kept per kind of change, to show "what changed" without storing 30,000 ids
RETRY_FIRST_MINUTES = 15
EMPTY_FEED_REASON = "Le flux ne contient aucun élément"
DROP_HELD_REASON = gettext_noop(
    "Forte baisse du nombre d'éléments utilisables : rien n'a été appliqué, en attente de confirmation"
)


def hold_drop_ratio() -> float:
    """A check whose usable records fall by more than this share of the current snapshot is held."""
    return float(getattr(settings, "SOURCES_HOLD_DROP_RATIO", 0.3))


def hold_min_elements() -> int:
    """Below this many current elements a drop is applied as it is (a small feed moves by whole %)."""
    return int(getattr(settings, "SOURCES_HOLD_MIN_ELEMENTS", 20))


def last_good_run(*, source: Source) -> ImportRun | None:
    """The latest map-feed check that produced (or confirmed) a snapshot."""
    return (
        source.runs.filter(
            kind=ImportRun.Kind.MAP_FEED, state__in=[ImportRun.State.COMPLETED, ImportRun.State.ERRORS]
        )
        .order_by("-started_at", "-id")
        .first()
    )


def check_source(
    *, source: Source, trigger: str = ImportRun.Trigger.SCHEDULE, confirm_drop: bool = False
) -> ImportRun | None:
    """Run a check of the source's feed now. Never raises: failures are recorded on the run.

    Returns None, without a run or an alert, when another check of the source is under way (a double
    click, a queued duplicate). `confirm_drop`: a maintainer confirmed a sharp drop, apply it."""
    try:
        run = runs.start_run(
            source=source, kind=ImportRun.Kind.MAP_FEED, trigger=trigger, feed_url=source.feed_url
        )
    except runs.CheckAlreadyRunning:
        logger.info("Check of %s dropped: another one is running", source.slug)
        return None
    previous = last_good_run(source=source)
    try:
        if not source.feed_url:
            raise feeds.FeedError("Aucune adresse de flux n'est renseignée pour cette source")
        runs.set_state(run=run, state=ImportRun.State.DOWNLOADING)
        has_snapshot = previous is not None
        download = feeds.download(
            url=source.feed_url,
            etag=previous.etag if has_snapshot else "",
            last_modified=previous.last_modified if has_snapshot else "",
            on_progress=lambda: runs.heartbeat(run=run),
        )
        run.http_status, run.etag, run.last_modified = (
            download.http_status,
            download.etag,
            download.last_modified,
        )
        run.bytes_read = download.bytes_read
        if download.not_modified:
            run.not_modified = True
            run.changes = {"created": [], "updated": [], "deleted": [], "duplicates": []}
            counters = dict(previous.counters)
            counters.update(elementsCreatedCount=0, elementsUpdatedCount=0, elementsDeletedCount=0)
            counters["elementsNothingToDoCount"] = counters.get("elementsCount", 0) - counters.get(
                "elementsErrorsCount", 0
            )
            # The errors are those of the unchanged content: copy them so "the last run" shows them all.
            copied = [
                (run.pk, *values)
                for values in previous.errors.values_list("position", "element_id", "stage", "message")
            ]
            with transaction.atomic():
                insert_rows(
                    RunError,
                    ["run", "position", "element_id", "stage", "message"],
                    copied,
                    batch_size=BATCH_SIZE,
                )
            runs.finish_run(run=run, state=previous.state, level=previous.level, counters=counters)
            _schedule_next(source=source, network_failure=False)
            return run
        run = analyse(run=run, source=source, content=download.content, confirm_drop=confirm_drop)
    except http.FetchError as error:
        # The reason is generic (public); the detail (host, address, figures) is for the maintainers.
        run.http_status = error.http_status or run.http_status
        runs.finish_run(
            run=run,
            state=ImportRun.State.FAILED,
            level=ImportRun.Level.ERROR,
            reason=error.reason,
            detail=error.detail,
        )
        _schedule_next(source=source, network_failure=error.transient)
        return run
    except feeds.FeedError as error:
        run.http_status = error.http_status or run.http_status
        runs.finish_run(
            run=run, state=ImportRun.State.FAILED, level=ImportRun.Level.ERROR, reason=error.reason
        )
        _schedule_next(source=source, network_failure=error.network)
        return run
    except Exception as error:
        logger.exception("Check of %s crashed", source.slug)
        runs.finish_run(
            run=run,
            state=ImportRun.State.FAILED,
            level=ImportRun.Level.ERROR,
            reason=f"Erreur interne pendant la vérification ({type(error).__name__})",
        )
        _schedule_next(source=source, network_failure=False)
        return run
    _schedule_next(source=source, network_failure=False)
    return run


def check_content(
    *, source: Source, content: bytes, trigger: str = ImportRun.Trigger.MANUAL, feed_url: str = ""
) -> ImportRun:
    """The same check on content already at hand (a file): used by the demo data and the bench.
    Content given by hand is applied even after a sharp drop."""
    run = runs.start_run(
        source=source, kind=ImportRun.Kind.MAP_FEED, trigger=trigger, feed_url=feed_url or source.feed_url
    )
    run.bytes_read = len(content)
    try:
        return analyse(run=run, source=source, content=content, confirm_drop=True)
    except feeds.FeedError as error:
        return runs.finish_run(
            run=run, state=ImportRun.State.FAILED, level=ImportRun.Level.ERROR, reason=error.reason
        )


@contextmanager
def cyclic_gc_paused():
    """Pause Python's cycle collector while a large feed is analysed.

    The parsed JSON and the elements are hundreds of thousands of containers without cycles, which
    reference counting frees: each full collection walked them all for nothing, about a third of a
    30,000-record check. The collector comes back on afterwards, even after an error (unless someone
    else had switched it off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def analyse(*, run: ImportRun, source: Source, content: bytes, confirm_drop: bool = False) -> ImportRun:
    """Parse, validate, compare, store. Raises `FeedError` when the feed cannot be read at all."""
    with cyclic_gc_paused():
        return _analyse(run=run, source=source, content=content, confirm_drop=confirm_drop)


def sharp_drop(*, usable: int, current: int) -> bool:
    """Whether `usable` records against `current` elements is a drop to hold (issue 22: a truncated
    feed halved a snapshot, the missing half marked removed until the next good run)."""
    return current >= hold_min_elements() and usable < current * (1 - hold_drop_ratio())


def _analyse(*, run: ImportRun, source: Source, content: bytes, confirm_drop: bool) -> ImportRun:
    runs.set_state(run=run, state=ImportRun.State.IN_PROGRESS)
    parsed = feeds.parse(content, declared_format=source.feed_format)
    validated = feeds.validate(
        parsed.records,
        mapping_override=source.field_mapping or None,
        on_progress=lambda position: runs.heartbeat(run=run),
    )
    feed_format = parsed.format
    del parsed  # the raw records are all read: free them before the comparison and the duplicates
    if validated.count == 0:
        raise feeds.FeedError(EMPTY_FEED_REASON)
    elements = validated.elements
    error_messages = Counter(error.message for error in validated.errors)
    count, errors = validated.count, len(validated.errors)
    state = runs.state_for(count=count, errors=errors)
    level = runs.level_for(count=count, errors=errors)

    previous = active_snapshot(source=source)
    created = [element_id for element_id in elements if element_id not in previous]
    updated = [
        element_id
        for element_id, element in elements.items()
        if element_id in previous and previous[element_id][1] != element.content_hash
    ]
    # An id still in the feed but in error this time is not "deleted": it is only not usable.
    deleted = [element_id for element_id in previous if element_id not in validated.seen_ids]
    duplicate_pairs = (
        find_duplicates(source=source, elements=elements) if state != ImportRun.State.FAILED else {}
    )

    counters = {
        "elementsCount": count,
        "elementsErrorsCount": errors,
        "elementsMissingGeoCount": sum(1 for element in elements.values() if not element.has_geo),
        "elementsMissingTaxoCount": sum(1 for element in elements.values() if not element.categories),
        "elementsCreatedCount": len(created),
        "elementsUpdatedCount": len(updated),
        "elementsNothingToDoCount": len(elements) - len(created) - len(updated),
        "elementsDeletedCount": len(deleted),
        "potentialDuplicatesCount": len(duplicate_pairs),
        "errorMessages": dict(error_messages.most_common()),
    }
    run.changes = {
        "created": created[:CHANGES_KEPT],
        "updated": updated[:CHANGES_KEPT],
        "deleted": deleted[:CHANGES_KEPT],
        "duplicates": [
            [a[1], b[1], b[0], reason] for (a, b), reason in list(duplicate_pairs.items())[:CHANGES_KEPT]
        ],
        "format": feed_format,
        "mapping": validated.mapping,
    }
    reason = detail = ""
    if (
        state != ImportRun.State.FAILED
        and not confirm_drop
        and sharp_drop(usable=len(elements), current=len(previous))
    ):
        state, level, reason = ImportRun.State.HELD, ImportRun.Level.WARNING, DROP_HELD_REASON
        detail = _("%(usable)d éléments utilisables contre %(current)d en place (%(change)d %%)") % {
            "usable": len(elements),
            "current": len(previous),
            "change": round(100 * (len(elements) - len(previous)) / len(previous)),
        }
    with transaction.atomic():
        insert_rows(
            RunError,
            ["run", "position", "element_id", "stage", "message"],
            (
                (run.pk, error.position, error.element_id, error.stage, error.message)
                for error in validated.errors
            ),
            batch_size=BATCH_SIZE,
        )
        if state not in (ImportRun.State.FAILED, ImportRun.State.HELD):
            good = last_good_run(source=source) if deleted else None
            apply_snapshot(
                source=source,
                elements=elements,
                created=created,
                updated=updated,
                deleted=deleted,
                previous=previous,
                seen_until=good.started_at if good else None,
            )
            signals.snapshot_applied.send(
                sender=Source, source=source, created=created, updated=updated, deleted=deleted
            )
    if state == ImportRun.State.FAILED:
        reason = f"Aucun élément utilisable : {errors} enregistrement(s) en erreur sur {count}"
    runs.finish_run(run=run, state=state, level=level, reason=reason, detail=detail, counters=counters)
    if state == ImportRun.State.COMPLETED:
        OnboardingStep.objects.get_or_create(
            source=source, step=OnboardingStep.Step.FIRST_CLEAN_CHECK, defaults={"note": f"run {run.pk}"}
        )
    return run


def find_duplicates(*, source: Source, elements: dict) -> dict:
    own = [
        duplicates.Candidate(
            key=(source.pk, element.element_id),
            name_slug=element.name_slug,
            latitude=element.latitude,
            longitude=element.longitude,
            email_key=duplicates.email_key(element.email),
            website_key=duplicates.website_key(element.website),
        )
        for element in elements.values()
    ]
    return duplicates.find_pairs(own, others=other_candidates(source=source, own=own))


def other_candidates(*, source: Source, own: list) -> list:
    """The other active sources' current elements that may pair with one of `own`, in primary-key order.

    Only the rows sharing a stored key with `own` are read, through the partial indexes on those keys,
    `BATCH_SIZE` values per query: with the same slug (and coordinates), the same e-mail or the same
    website. That is every row `find_pairs` could pair with `own`, and every row of their e-mail and
    website groups (whose size decides whether an address is a network's common one), so the pairs are
    those a comparison with every other element would find; the cost follows the feed, not the map.
    """
    cap = duplicates.KEY_LENGTH
    wanted = {
        "name_slug": {
            own_record.name_slug[:cap]
            for own_record in own
            if own_record.name_slug and own_record.latitude is not None and own_record.longitude is not None
        },
        "email_key": {own_record.email_key[:cap] for own_record in own if own_record.email_key},
        "website_key": {own_record.website_key[:cap] for own_record in own if own_record.website_key},
    }
    excluded = [source.pk, *Source.objects.filter(is_active=False).values_list("pk", flat=True)]
    rows = {}
    with connections[router.db_for_read(SourceElement)].cursor() as cursor:
        for column, values in wanted.items():
            values = sorted(values)
            for start in range(0, len(values), BATCH_SIZE):
                batch = values[start : start + BATCH_SIZE]
                cursor.execute(*sharing_a_key(column=column, values=batch, excluded_sources=excluded))
                for row in cursor.fetchall():
                    rows[row[0]] = row
    candidates = []
    for pk in sorted(rows):
        (
            _pk,
            source_id,
            element_id,
            latitude,
            longitude,
            slug,
            email,
            website,
            name,
            raw_email,
            raw_website,
        ) = rows[pk]
        candidates.append(
            duplicates.Candidate(
                key=(source_id, element_id),
                name_slug=duplicates.whole_key(slug, duplicates.name_key, name),
                latitude=latitude,
                longitude=longitude,
                email_key=duplicates.whole_key(email, duplicates.email_key, raw_email),
                website_key=duplicates.whole_key(website, duplicates.website_key, raw_website),
            )
        )
    return candidates


CANDIDATE_FIELDS = ("id", "source", "element_id", "latitude", "longitude", *SourceElement.KEY_FIELDS)
CANDIDATE_FIELDS += ("name", "email", "website")


def sharing_a_key(*, column: str, values: list[str], excluded_sources: list[int]) -> tuple[str, list]:
    """The query (SQL, parameters) of the rows (`CANDIDATE_FIELDS`) of the current elements whose stored
    key `column` is one of `values`, but those of `excluded_sources`; for the name, only the elements
    with coordinates, the others cannot pair.

    The sources are left out by a NOT IN, which no index serves, rather than by a join on the active
    ones: PostgreSQL then has no other way than the key's partial index (with a join, it could choose
    to walk every element of every source by the (source, removed_at) index, which reads the whole map).
    Plain SQL, like the writes below: the ORM spent as long preparing 2,000 values per query as the
    database spent answering.
    """
    if column not in SourceElement.KEY_FIELDS or not values or not excluded_sources:
        raise ValueError(column)
    connection = connections[router.db_for_read(SourceElement)]
    quote = connection.ops.quote_name

    def col(name: str) -> str:
        return quote(SourceElement._meta.get_field(name).column)

    conditions = [
        f"{col('removed_at')} IS NULL",
        f"{col(column)} IN ({', '.join(['%s'] * len(values))})",
        f"{col('source')} NOT IN ({', '.join(['%s'] * len(excluded_sources))})",
    ]
    if column == "name_slug":
        conditions += [f"{col('latitude')} IS NOT NULL", f"{col('longitude')} IS NOT NULL"]
    # Only quoted model metadata goes into the statement; every value is a query parameter.
    sql = "SELECT {} FROM {} WHERE {}".format(  # noqa: S608
        ", ".join(map(col, CANDIDATE_FIELDS)), quote(SourceElement._meta.db_table), " AND ".join(conditions)
    )
    return sql, [*values, *excluded_sources]


def active_snapshot(*, source: Source) -> dict[str, tuple[int, str]]:
    """The source's current snapshot in one query: element id -> (row pk, content hash)."""
    rows = (
        SourceElement.objects.filter(source=source, removed_at__isnull=True)
        .order_by("pk")
        .values_list("element_id", "pk", "content_hash")
        .iterator(chunk_size=BATCH_SIZE)
    )
    return {element_id: (pk, content_hash) for element_id, pk, content_hash in rows}


SNAPSHOT_FIELDS = [
    "name",
    "address",
    "latitude",
    "longitude",
    "postal_code",
    "departement",
    "categories",
    "email",
    "website",
    "content_hash",
    *SourceElement.KEY_FIELDS,
]


def apply_snapshot(
    *,
    source: Source,
    elements: dict,
    created: list,
    updated: list,
    deleted: list,
    previous: dict[str, tuple[int, str]],
    seen_until=None,
) -> None:
    """Make the stored snapshot match the feed, in batches of `BATCH_SIZE` rows: an UPDATE by primary
    key (or an INSERT) per batch of changed, revived, new or removed ones; unchanged rows are not
    written at all (issue 22: an UPDATE of all 30,000 rows at every check was most of an unchanged
    check's database time). So `last_seen_at` is the last check that wrote the row: for a current
    element, the one that created or changed it (it has been seen by every check since); for a
    removed one, `seen_until`, the last good check that still saw it."""
    now = timezone.now()
    deleted_pks = [previous[element_id][0] for element_id in deleted]
    for start in range(0, len(deleted_pks), BATCH_SIZE):
        SourceElement.objects.filter(pk__in=deleted_pks[start : start + BATCH_SIZE]).update(
            removed_at=now, last_seen_at=seen_until or now
        )

    connection = connections[router.db_for_write(SourceElement)]
    categories_field = SourceElement._meta.get_field("categories")
    now_value = SourceElement._meta.get_field("first_seen_at").get_db_prep_save(now, connection)

    def values(element) -> tuple:
        return (
            element.name,
            element.address,
            element.latitude,
            element.longitude,
            element.postal_code,
            element.departement,
            categories_field.get_db_prep_save(element.categories, connection),
            element.email,
            element.website,
            element.content_hash,
            *duplicates.stored_keys(name=element.name, email=element.email, website=element.website),
        )

    update_rows(
        SourceElement,
        [*SNAPSHOT_FIELDS, "last_seen_at"],
        ((*values(elements[element_id]), now_value, previous[element_id][0]) for element_id in updated),
        batch_size=BATCH_SIZE,
    )
    # Ids that come back after having left the feed keep their row: it is revived, not duplicated.
    removed = {}
    if created:
        created_set = set(created)
        removed = {
            element_id: pk
            for element_id, pk in SourceElement.objects.filter(source=source, removed_at__isnull=False)
            .values_list("element_id", "pk")
            .iterator(chunk_size=BATCH_SIZE)
            if element_id in created_set
        }
    update_rows(
        SourceElement,
        [*SNAPSHOT_FIELDS, "removed_at", "first_seen_at", "last_seen_at"],
        (
            (*values(elements[element_id]), None, now_value, now_value, removed[element_id])
            for element_id in created
            if element_id in removed
        ),
        batch_size=BATCH_SIZE,
    )
    insert_rows(
        SourceElement,
        ["source", "element_id", *SNAPSHOT_FIELDS, "first_seen_at", "last_seen_at", "removed_at"],
        (
            (source.pk, element_id, *values(elements[element_id]), now_value, now_value, None)
            for element_id in created
            if element_id not in removed
        ),
        batch_size=BATCH_SIZE,
    )


def confirm_held(*, source: Source) -> None:
    """A maintainer confirmed the sharp drop shown by the latest check, which was held: queue a check
    that applies the feed as it is now, drop or not. Raises `Conflict` when nothing is held."""
    latest = last_check(source=source)
    if latest is None or latest.state != ImportRun.State.HELD:
        raise Conflict(_("Aucune vérification n'attend de confirmation."))
    transaction.on_commit(
        lambda: async_task(
            "sources.tasks.check_source_confirmed",
            source.pk,
            task_name=f"check-source-confirmed-{source.slug}",
        )
    )


def last_check(*, source: Source) -> ImportRun | None:
    return source.runs.filter(kind=ImportRun.Kind.MAP_FEED).order_by("-started_at", "-id").first()


def _schedule_next(*, source: Source, network_failure: bool) -> None:
    """Next check: the source's own rhythm, or sooner with a growing delay after a network failure."""
    now = timezone.now()
    every = timedelta(hours=source.check_every_hours or 24)
    if network_failure:
        failures = source.network_failures + 1
        delay = min(timedelta(minutes=RETRY_FIRST_MINUTES * 2 ** (failures - 1)), every)
    else:
        failures, delay = 0, every
    Source.objects.filter(pk=source.pk).update(network_failures=failures, next_check_at=now + delay)
    source.network_failures, source.next_check_at = failures, now + delay
