"""Writes of the search index: (re)index objects, drop them, follow a feed check, rebuild everything."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connections, router, transaction
from django.utils import timezone

from core.bulk_sql import insert_rows
from search.engine import get_engine
from search.indexers import REGISTRY, element_key, object_key
from search.models import SearchDocument

BATCH_SIZE = 2000  # as the feed check: a check costs a fixed number of queries per batch
DOCUMENT_FIELDS = {field.name for field in SearchDocument._meta.get_fields()} - {"id", "updated_at"}


INSERTED_FIELDS = [field.name for field in SearchDocument._meta.concrete_fields if field.name != "id"]
DEFAULTS = {
    field.name: field.get_default() for field in SearchDocument._meta.concrete_fields if field.name != "id"
}
JSON_FIELDS = {"categories", "source_ids"}


def _prepared(*, doc_type: str, key: str, document: dict, now, connection) -> tuple:
    """One row's values ready for the database, without building a model instance (a feed check indexes
    thousands of them)."""
    values = {**DEFAULTS, **{name: value for name, value in document.items() if name in DOCUMENT_FIELDS}}
    values.update(doc_type=doc_type, object_key=key, updated_at=now)
    values["title"] = (values["title"] or "")[:500]
    values["url"] = (values["url"] or "")[:1000]
    prepared = []
    for name in INSERTED_FIELDS:
        value = values[name]
        if name in JSON_FIELDS or name in ("updated_at", "event_date"):
            value = SearchDocument._meta.get_field(name).get_db_prep_save(value, connection)
        prepared.append(value)
    return tuple(prepared)


@dataclass(frozen=True)
class Indexed:
    """What an engine reads of a saved document."""

    pk: int
    title: str
    body: str
    language: str


def index_objects(*, doc_type: str, objects: Iterable) -> int:
    """Replace the documents of these objects by what their indexer says now; returns how many rows.

    A fixed number of queries per batch of `BATCH_SIZE` objects, whatever the batch holds (the feed
    check's own test counts them)."""
    indexer = REGISTRY[doc_type]
    engine = get_engine()
    connection = connections[router.db_for_write(SearchDocument)]
    written = 0
    batch: list = []

    def flush():
        nonlocal written
        keys = [object_key(doc_type, instance) for instance in batch]
        now = timezone.now()
        rows = [
            _prepared(doc_type=doc_type, key=key, document=document, now=now, connection=connection)
            for instance, key in zip(batch, keys, strict=True)
            for document in indexer.documents(instance)
        ]
        with transaction.atomic():
            stale = list(
                SearchDocument.objects.filter(doc_type=doc_type, object_key__in=keys).values_list(
                    "pk", flat=True
                )
            )
            if stale:
                engine.remove(ids=stale)
                SearchDocument.objects.filter(pk__in=stale).delete()
            if rows:
                insert_rows(SearchDocument, INSERTED_FIELDS, rows, batch_size=BATCH_SIZE)
                saved = SearchDocument.objects.filter(doc_type=doc_type, object_key__in=keys)
                engine.index(
                    documents=[Indexed(*row) for row in saved.values_list("pk", "title", "body", "language")]
                )
        written += len(rows)
        batch.clear()

    for instance in objects:
        batch.append(instance)
        if len(batch) >= BATCH_SIZE:
            flush()
    if batch:
        flush()
    return written


def remove_keys(*, doc_type: str, keys: list[str]) -> None:
    engine = get_engine()
    for start in range(0, len(keys), BATCH_SIZE):
        stale = SearchDocument.objects.filter(
            doc_type=doc_type, object_key__in=keys[start : start + BATCH_SIZE]
        )
        engine.remove(ids=list(stale.values_list("pk", flat=True)))
        stale.delete()


def index_source_elements(*, source, created=(), updated=(), deleted=()) -> None:
    """Follow a feed check that replaced `source`'s snapshot: only the created, changed and removed
    elements are touched (a failed check sends nothing, so yesterday's documents stay)."""
    from django.apps import apps

    SourceElement = apps.get_model("sources.SourceElement")
    changed = [*created, *updated]
    for start in range(0, len(changed), BATCH_SIZE):
        elements = SourceElement.objects.filter(
            source=source, element_id__in=changed[start : start + BATCH_SIZE]
        ).select_related("source")
        index_objects(doc_type=SearchDocument.Type.ALTERNATIVE, objects=elements)
    remove_keys(
        doc_type=SearchDocument.Type.ALTERNATIVE,
        keys=[
            element_key(SourceElement(source_id=source.pk, element_id=element_id)) for element_id in deleted
        ],
    )


def rebuild(
    *, doc_types: list[str] | None = None, on_progress: Callable[[str, int, int], None] | None = None
) -> int:
    """Index every findable object again, type by type; returns the number of documents."""
    engine = get_engine()
    total = 0
    types = doc_types or list(REGISTRY)
    if doc_types is None:
        engine.clear()
        SearchDocument.objects.all().delete()
    else:
        stale = SearchDocument.objects.filter(doc_type__in=types)
        engine.remove(ids=list(stale.values_list("pk", flat=True)))
        stale.delete()
    for doc_type in types:
        indexer = REGISTRY[doc_type]
        objects = indexer.objects()
        count = objects.count() if hasattr(objects, "count") else None
        done = 0
        chunk: list = []
        iterator = objects.iterator(chunk_size=BATCH_SIZE) if hasattr(objects, "iterator") else objects
        for instance in iterator:
            chunk.append(instance)
            if len(chunk) >= BATCH_SIZE:
                total += index_objects(doc_type=doc_type, objects=chunk)
                done += len(chunk)
                chunk = []
                if on_progress:
                    on_progress(doc_type, done, count or done)
        if chunk:
            total += index_objects(doc_type=doc_type, objects=chunk)
            done += len(chunk)
        if on_progress:
            on_progress(doc_type, done, count or done)
    return total
