"""Periodic work of the support app (django-q2 schedules created by migration 0002)."""

from support import services


def check_partner_deadlines() -> dict:
    """Hourly (migration 0002): remind partners who have not answered, take requests back after a second
    delay."""
    return services.process_partner_deadlines()


def anonymise_requesters() -> int:
    """Daily: close the requests abandoned for the inactivity period, then erase requesters' contact data
    once the retention period is over. Returns how many requests were anonymised."""
    return services.close_abandoned_requests() + services.anonymise_finished_requests()
