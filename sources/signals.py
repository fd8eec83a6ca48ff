"""Signals of the sources app.

Sent: `snapshot_applied`, for the apps that follow the snapshots (search) without sources importing them.
Received: the cached element counts are forgotten when they change."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from sources.models import ImportRun, Source, SourceElement

#: Sent inside a feed check's transaction once the source's snapshot matches the feed, with the element
#: ids created, updated and deleted by that check (a failed check sends nothing). Arguments:
#: source, created, updated, deleted.
snapshot_applied = Signal()


@receiver(post_save, sender=ImportRun, dispatch_uid="sources.counts_after_run")
def forget_counts_after_a_finished_run(sender, instance, **kwargs):
    """A check writes its snapshot in bulk (no per-row signal), then finishes its run: that is the moment."""
    if instance.state in ImportRun.FINISHED_STATES:
        from sources.selectors import forget_element_counts

        forget_element_counts()


@receiver(post_save, sender=SourceElement, dispatch_uid="sources.counts_after_element_save")
@receiver(post_delete, sender=SourceElement, dispatch_uid="sources.counts_after_element_delete")
@receiver(post_delete, sender=Source, dispatch_uid="sources.counts_after_source_delete")
def forget_counts_after_an_element_change(sender, **kwargs):
    from sources.selectors import forget_element_counts

    forget_element_counts()
