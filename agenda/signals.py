"""Signals sent by the agenda, for the apps that follow its events (search) without the agenda importing
them."""

from django.dispatch import Signal

#: Sent inside an import's transaction once a feed's events are stored (written in bulk, so no post_save),
#: with `feed` and `event_ids`: the events created, changed or removed by that import.
events_stored = Signal()
