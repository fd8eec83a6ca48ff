"""Events of the portal itself (trainings, community meetings, the anniversary) in the same agenda.

Other apps publish through `upsert_portal_event(key=...)` with a key of their own ("kits:session:12")
and withdraw with `remove_portal_event(key=...)`; the row is kept in history with `removed_at`.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from core.sanitize import sanitize_html
from core.territories import departement_of, region_of

from ..models import Event
from .ics import PARIS


def _aware(value, *, all_day: bool) -> datetime:
    if not isinstance(value, datetime):
        return datetime.combine(value, time.min, tzinfo=PARIS)
    return value if timezone.is_aware(value) else value.replace(tzinfo=PARIS)


def upsert_portal_event(
    *,
    key: str,
    title: str,
    start,
    end,
    all_day: bool = False,
    location: str = "",
    url: str = "",
    description: str = "",
    departement: str = "",
    categories=(),
    organiser: str = "",
) -> Event:
    """Create or update the portal event `key`. Dates (not datetimes) make an all-day event; `end` is
    then the last day, included."""
    start_at = _aware(start, all_day=all_day)
    end_at = _aware(end, all_day=all_day) if end else start_at
    if all_day or not isinstance(start, datetime):
        all_day = True
        end_at = _aware(end or start, all_day=True) + timedelta(days=1)
    departement = departement_of(departement)
    event, _created = Event.objects.update_or_create(
        origin=Event.Origin.PORTAL,
        feed=None,
        uid=key,
        recurrence_id="",
        defaults={
            "title": title[:500],
            "start": start_at,
            "end": max(end_at, start_at),
            "all_day": all_day,
            "location": location[:500],
            "url": url[:1000],
            "description": sanitize_html(description),
            "departement": departement,
            "region": region_of(departement) if departement else "",
            "categories": list(categories),
            "organiser": organiser[:300],
            "status": Event.Status.CONFIRMED,
            "review": Event.Review.APPROVED,
            "removed_at": None,
        },
    )
    return event


def remove_portal_event(*, key: str) -> int:
    """Withdraw the portal event `key` from the agenda (kept in history). Returns how many rows changed."""
    return Event.objects.filter(
        origin=Event.Origin.PORTAL, feed=None, uid=key, removed_at__isnull=True
    ).update(removed_at=timezone.now())
