"""Periodic work of the support app (django-q2 schedules created by migration 0002)."""

from support import services


def check_partner_deadlines() -> dict:
    """Daily: remind partners who have not answered, take requests back after a second delay."""
    return services.process_partner_deadlines()


def anonymise_requesters() -> int:
    """Daily: erase requesters' contact data once the retention period is over."""
    return services.anonymise_finished_requests()
