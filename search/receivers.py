"""Keep the index in step: every indexer's model (and the models it watches) re-indexes on save and
delete, and a feed check that replaced a snapshot re-indexes only its changed elements.

The object is read again from the database before indexing, so a draft held in memory by an editor's
form (Wagtail pages and snippets save their drafts as revisions) is never what gets indexed. An indexing
failure is logged and never breaks the save that caused it.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from search import services
from search.indexers import REGISTRY, object_key

logger = logging.getLogger(__name__)


def _guarded(action, *args, **kwargs):
    try:
        with transaction.atomic():
            action(*args, **kwargs)
    except Exception:
        logger.exception("search: indexing failed")


def _reindex(doc_type: str, instances) -> None:
    indexer = REGISTRY[doc_type]
    pks = [instance.pk for instance in instances if instance.pk is not None]
    if not pks:
        return
    fresh = list(indexer.objects().model._default_manager.filter(pk__in=pks))
    found = {instance.pk for instance in fresh}
    gone = [object_key(doc_type, instance) for instance in instances if instance.pk not in found]
    services.index_objects(doc_type=doc_type, objects=fresh)
    if gone:
        services.remove_keys(doc_type=doc_type, keys=gone)


def _connect(doc_type: str, indexer) -> None:
    model = indexer.model_class()

    def saved(sender, instance, raw=False, **kwargs):
        if not raw:
            _guarded(_reindex, doc_type, [instance])

    def deleted(sender, instance, **kwargs):
        _guarded(services.remove_keys, doc_type=doc_type, keys=[object_key(doc_type, instance)])

    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"search-{doc_type}-save")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"search-{doc_type}-delete")
    for label, related in indexer.watches.items():
        from django.apps import apps

        def changed(sender, instance, raw=False, related=related, **kwargs):
            if not raw:
                _guarded(lambda: _reindex(doc_type, related(instance)))

        watched = apps.get_model(label)
        post_save.connect(changed, sender=watched, weak=False, dispatch_uid=f"search-{doc_type}-{label}-save")
        post_delete.connect(
            changed, sender=watched, weak=False, dispatch_uid=f"search-{doc_type}-{label}-delete"
        )


for _doc_type, _indexer in REGISTRY.items():
    if _doc_type != "alternative":  # the feed check writes elements in bulk: see snapshot_applied below
        _connect(_doc_type, _indexer)


def snapshot_applied(sender, source, created, updated, deleted, **kwargs):
    _guarded(services.index_source_elements, source=source, created=created, updated=updated, deleted=deleted)


if "alternative" in REGISTRY:
    from sources.signals import snapshot_applied as snapshot_applied_signal

    snapshot_applied_signal.connect(snapshot_applied, weak=False, dispatch_uid="search-snapshot-applied")


def events_stored(sender, feed, event_ids, **kwargs):
    _guarded(_reindex, "event", [Event(pk=pk) for pk in event_ids])


if "event" in REGISTRY:
    from agenda.models import Event
    from agenda.signals import events_stored as events_stored_signal

    events_stored_signal.connect(events_stored, weak=False, dispatch_uid="search-events-stored")
