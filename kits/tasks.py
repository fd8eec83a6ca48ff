"""Background tasks of the kits app (django-q2). Thin: they call services."""

from kits import services
from kits.models import KitPage, TrainingSession


def send_session_reminders() -> int:
    """Every 5 minutes (schedule created by migration 0002): the 24 h and 1 h reminders that are due."""
    return services.session_send_due_reminders()


def notify_new_version(kit_id: int) -> int:
    kit = KitPage.objects.filter(pk=kit_id).first()
    return services.kit_notify_new_version(kit=kit) if kit else 0


def sync_session_to_agenda(session_id: int) -> None:
    session = TrainingSession.objects.filter(pk=session_id).first()
    if session is not None:
        services.session_sync_agenda(session=session)


def fill_freed_seats(session_id: int) -> int:
    """After a session was edited (capacity raised), promote people from the waiting list."""
    session = TrainingSession.objects.filter(pk=session_id).first()
    return len(services.session_capacity_changed(session=session)) if session else 0


def notify_session_change(session_id: int, changes: list[str]) -> int:
    """After a session's time, place, visio link or cancellation changed: tell its registrants."""
    session = TrainingSession.objects.filter(pk=session_id).first()
    return services.session_notify_change(session=session, changes=changes) if session else 0
