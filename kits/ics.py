"""iCalendar files: the invitation attached to a confirmation e-mail and the feed of upcoming sessions."""

from django.conf import settings
from django.utils import timezone

from icalendar import Calendar, Event, vCalAddress, vText

from kits.models import TrainingSession


def session_event(*, session: TrainingSession, for_registrant: bool) -> Event:
    """One VEVENT. The visio link goes in only for a registrant's own invitation, never in the feed."""
    event = Event()
    event.add("uid", f"kits-session-{session.pk}@transiscope.org")
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
    if session.is_cancelled:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}")
    organizer.params["cn"] = vText("Transiscope")
    event["organizer"] = organizer
    return event


def session_calendar(*, sessions, for_registrant: bool = False, method: str | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Transiscope//Formations//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Transiscope – formations")
    calendar.add("x-wr-timezone", "Europe/Paris")
    if method:
        calendar.add("method", method)
    for session in sessions:
        calendar.add_component(session_event(session=session, for_registrant=for_registrant))
    calendar.add_missing_timezones()
    return calendar.to_ical()
