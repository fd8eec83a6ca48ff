"""Signals other apps listen to. accounts sits below the feature apps and imports none of them: an app
that keeps something of a person's connects a receiver here instead."""

from django.dispatch import Signal

# Sent inside the deletion's transaction, before the account is deleted (keyword argument `user`). A
# receiver undoes through its own services what a cascade would remove silently (kits cancels
# registrations so that freed seats go to the waiting list). An exception aborts the deletion.
account_deleting = Signal()
