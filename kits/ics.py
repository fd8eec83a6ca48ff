"""iCalendar files: the invitation attached to a confirmation e-mail, its updates and cancellations, and the
feed of upcoming sessions.

Every file about a session carries the same UID; calendar apps replace the event they hold when a file with
a higher SEQUENCE arrives (RFC 5546), and remove it on `METHOD:CANCEL`.
"""

from django.conf import settings
from django.utils import timezone

from icalendar import Calendar, Event, vCalAddress, vText

from kits.models import TrainingSession


def session_uid(session: TrainingSession) -> str:
    return f"kits-session-{session.pk}@transiscope.org"


def session_event(
    *, session: TrainingSession, for_registrant: bool, sequence: int | None = None, cancelled: bool = False
) -> Event:
    """One VEVENT. The visio link goes in only for a registrant's own invitation, never in the feed.

    `sequence` is the version sent to this person (the session's own version by default); `cancelled` marks
    the event cancelled for them even when the session goes on (they cancelled their registration).
    """
    event = Event()
    event.add("uid", session_uid(session))
    event.add("sequence", session.ics_sequence if sequence is None else sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(session.start))  # TZID=Europe/Paris
    event.add("dtend", timezone.localtime(session.end))
    event.add("summary", session.display_title)
    url = settings.SITE_URL + session.get_absolute_url()
    event.add("url", url)
    description = session.description or ""
    if for_registrant and session.visio_url:
        description = f"{description}\n\nVisio : {session.visio_url}".strip()
    event.add("description", f"{description}\n\n{url}".strip())
    if session.kind == "in_person" and session.location:
        event.add("location", session.location)
    elif for_registrant and session.visio_url:
        event.add("location", session.visio_url)
    if cancelled or session.is_cancelled:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}")
    organizer.params["cn"] = vText("Transiscope")
    event["organizer"] = organizer
    return event


def session_calendar(
    *,
    sessions,
    for_registrant: bool = False,
    method: str | None = None,
    sequence: int | None = None,
    cancelled: bool = False,
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Transiscope//Formations//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Transiscope – formations")
    calendar.add("x-wr-timezone", "Europe/Paris")
    if method:
        calendar.add("method", method)
    for session in sessions:
        calendar.add_component(
            session_event(
                session=session, for_registrant=for_registrant, sequence=sequence, cancelled=cancelled
            )
        )
    calendar.add_missing_timezones()
    return calendar.to_ical()
