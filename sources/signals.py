"""Signals sent by the sources app, for the apps that follow its snapshots (search) without sources
importing them."""

from django.dispatch import Signal

#: Sent inside a feed check's transaction once the source's snapshot matches the feed, with the element
#: ids created, updated and deleted by that check (a failed check sends nothing). Arguments:
#: source, created, updated, deleted.
snapshot_applied = Signal()
