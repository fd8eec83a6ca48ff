"""Periodic work of the site frame (scheduled by home/migrations/0004_schedules.py)."""

from django.core.management import call_command


def clear_expired_sessions() -> None:
    """Sessions of people who never came back pile up in the database: drop the expired ones."""
    call_command("clearsessions")
