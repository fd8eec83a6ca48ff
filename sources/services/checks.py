"""A check of a source's map feed, first-hand, with GoGoCarto's vocabulary and counters.

`check_source` downloads the feed (conditional GET), validates every record, compares the usable ones
with the source's previous successful snapshot, looks for potential duplicates, and stores the run with
its per-record errors. Only a run that is not `failed` replaces the snapshot.
"""

import logging
from collections import Counter
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

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
CHANGES_KEPT = 200  # ids kept per kind of change, to show "what changed" without storing 30,000 ids
RETRY_FIRST_MINUTES = 15
EMPTY_FEED_REASON = "Le flux ne contient aucun élément"


def last_good_run(*, source: Source) -> ImportRun | None:
    """The latest map-feed check that produced (or confirmed) a snapshot."""
    return (
        source.runs.filter(
            kind=ImportRun.Kind.MAP_FEED, state__in=[ImportRun.State.COMPLETED, ImportRun.State.ERRORS]
        )
        .order_by("-started_at", "-id")
        .first()
    )


def check_source(*, source: Source, trigger: str = ImportRun.Trigger.SCHEDULE) -> ImportRun:
    """Run a check of the source's feed now. Never raises: failures are recorded on the run."""
    run = runs.start_run(
        source=source, kind=ImportRun.Kind.MAP_FEED, trigger=trigger, feed_url=source.feed_url
    )
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
            runs.finish_run(run=run, state=previous.state, level=previous.level, counters=counters)
            _schedule_next(source=source, network_failure=False)
            return run
        run = analyse(run=run, source=source, content=download.content)
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
    """The same check on content already at hand (a file): used by the demo data and the bench."""
    run = runs.start_run(
        source=source, kind=ImportRun.Kind.MAP_FEED, trigger=trigger, feed_url=feed_url or source.feed_url
    )
    run.bytes_read = len(content)
    try:
        return analyse(run=run, source=source, content=content)
    except feeds.FeedError as error:
        return runs.finish_run(
            run=run, state=ImportRun.State.FAILED, level=ImportRun.Level.ERROR, reason=error.reason
        )


def analyse(*, run: ImportRun, source: Source, content: bytes) -> ImportRun:
    """Parse, validate, compare, store. Raises `FeedError` when the feed cannot be read at all."""
    runs.set_state(run=run, state=ImportRun.State.IN_PROGRESS)
    parsed = feeds.parse(content, declared_format=source.feed_format)
    validated = feeds.validate(
        parsed.records,
        mapping_override=source.field_mapping or None,
        on_progress=lambda position: runs.heartbeat(run=run),
    )
    if validated.count == 0:
        raise feeds.FeedError(EMPTY_FEED_REASON)
    elements = validated.elements
    error_messages = Counter(error.message for error in validated.errors)
    count, errors = validated.count, len(validated.errors)
    state = runs.state_for(count=count, errors=errors)
    level = runs.level_for(count=count, errors=errors)

    previous = dict(
        SourceElement.objects.filter(source=source, removed_at__isnull=True).values_list(
            "element_id", "content_hash"
        )
    )
    created = [element_id for element_id in elements if element_id not in previous]
    updated = [
        element_id
        for element_id, element in elements.items()
        if element_id in previous and previous[element_id] != element.content_hash
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
        "format": parsed.format,
        "mapping": validated.mapping,
    }
    with transaction.atomic():
        RunError.objects.bulk_create(
            [
                RunError(
                    run=run,
                    position=error.position,
                    element_id=error.element_id,
                    stage=error.stage,
                    message=error.message,
                )
                for error in validated.errors
            ],
            batch_size=1000,
        )
        if state != ImportRun.State.FAILED:
            apply_snapshot(
                source=source, elements=elements, created=created, updated=updated, deleted=deleted
            )
    reason = ""
    if state == ImportRun.State.FAILED:
        reason = f"Aucun élément utilisable : {errors} enregistrement(s) en erreur sur {count}"
    runs.finish_run(run=run, state=state, level=level, reason=reason, counters=counters)
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
            email=element.email,
            website=element.website,
        )
        for element in elements.values()
    ]
    others = (
        duplicates.Candidate(
            key=(source_id, element_id),
            name_slug=slugify(name),
            latitude=latitude,
            longitude=longitude,
            email=email,
            website=website,
        )
        for source_id, element_id, name, latitude, longitude, email, website in SourceElement.objects.filter(
            removed_at__isnull=True, source__is_active=True
        )
        .exclude(source=source)
        .values_list("source_id", "element_id", "name", "latitude", "longitude", "email", "website")
        .iterator(chunk_size=5000)
    )
    return duplicates.find_pairs(own, others=others)


def apply_snapshot(*, source: Source, elements: dict, created: list, updated: list, deleted: list) -> None:
    """Make the stored snapshot match the feed: few queries, whatever the size."""
    now = timezone.now()
    for start in range(0, len(deleted), 500):
        SourceElement.objects.filter(source=source, element_id__in=deleted[start : start + 500]).update(
            removed_at=now
        )
    SourceElement.objects.filter(source=source, removed_at__isnull=True).update(last_seen_at=now)

    def values(element):
        return {
            "name": element.name,
            "address": element.address,
            "latitude": element.latitude,
            "longitude": element.longitude,
            "postal_code": element.postal_code,
            "departement": element.departement,
            "categories": element.categories,
            "email": element.email,
            "website": element.website,
            "content_hash": element.content_hash,
        }

    fields = [
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
    ]
    if updated:
        rows = SourceElement.objects.filter(source=source, removed_at__isnull=True).only("id", "element_id")
        wanted = set(updated)
        changed = []
        for row in rows.iterator(chunk_size=5000):
            if row.element_id in wanted:
                for name, value in values(elements[row.element_id]).items():
                    setattr(row, name, value)
                changed.append(row)
        SourceElement.objects.bulk_update(changed, fields, batch_size=500)
    if created:
        # Ids that come back after having left the feed keep their row: it is revived, not duplicated.
        created_set = set(created)
        returning = {
            row.element_id: row
            for row in SourceElement.objects.filter(source=source, removed_at__isnull=False).iterator(
                chunk_size=5000
            )
            if row.element_id in created_set
        }
        revived, new = [], []
        for element_id in created:
            element = elements[element_id]
            row = returning.get(element_id)
            if row is None:
                new.append(
                    SourceElement(
                        source=source,
                        element_id=element_id,
                        first_seen_at=now,
                        last_seen_at=now,
                        **values(element),
                    )
                )
            else:
                for name, value in values(element).items():
                    setattr(row, name, value)
                row.removed_at, row.first_seen_at, row.last_seen_at = None, now, now
                revived.append(row)
        SourceElement.objects.bulk_create(new, batch_size=1000)
        if revived:
            SourceElement.objects.bulk_update(
                revived, [*fields, "removed_at", "first_seen_at", "last_seen_at"], batch_size=500
            )


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
