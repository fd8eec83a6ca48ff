"""Reads of the agenda: what the public sees, filtered, and what other apps ask for."""

from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import text_search
from core.territories import departement_of, region_of

from .models import AgendaFeed, DuplicateCandidate, Event
from .services.ics import PARIS


def visible_events() -> QuerySet[Event]:
    """Events the public sees: approved, not hidden, still in their feed, from an active shown feed,
    and not the second copy of an event another source published first."""
    return Event.objects.filter(
        Q(feed__isnull=True) | Q(feed__is_active=True, feed__is_hidden=False),
        removed_at__isnull=True,
        is_hidden=False,
        review=Event.Review.APPROVED,
    ).filter(
        Q(duplicate_of__isnull=True)
        | Q(duplicate_of__removed_at__isnull=False)
        | Q(duplicate_of__is_hidden=True)
    )


def with_organisers(events: QuerySet[Event]) -> QuerySet[Event]:
    """Load what a list shows (source, co-organising sources) in a fixed number of queries."""
    return events.select_related("source").prefetch_related(
        Prefetch(
            "duplicates",
            queryset=Event.objects.filter(removed_at__isnull=True).select_related("source"),
            to_attr="co_organised",
        )
    )


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=PARIS)


def filter_events(
    events: QuerySet[Event],
    *,
    territory: str = "",
    category: str = "",
    source: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    text: str = "",
) -> QuerySet[Event]:
    """The agenda's filters. `territory` is a département (30) or a region (R76); `category` a slug;
    `source` a source's slug (events it co-organises included); dates are days in Paris, included."""
    territory = (territory or "").strip().upper()
    if territory.startswith("R"):
        events = events.filter(region=region_of(territory) or "-")
    elif territory:
        events = events.filter(departement=departement_of(territory) or "-")
    if category:
        events = events.filter(category_index__icontains=f"|{slugify(category)}|")
    if source:
        events = events.filter(
            Q(source__slug=source)
            | Q(
                pk__in=Event.objects.filter(source__slug=source, duplicate_of__isnull=False).values(
                    "duplicate_of"
                )
            )
        )
    if date_from:
        events = events.filter(end__gte=start_of_day(date_from))
    if date_to:
        events = events.filter(start__lt=start_of_day(date_to + timedelta(days=1)))
    if text:
        # The portal's search engine when there is one (accents, stems, one typo, descriptions too).
        found = text_search.matching_pks(doc_type="event", query=text)
        if found is not None:
            return events.filter(pk__in=found)
        for word in text.split()[:8]:
            events = events.filter(
                Q(title__icontains=word) | Q(location__icontains=word) | Q(organiser__icontains=word)
            )
    return events


def upcoming_events(
    *, departements: set[str] | None = None, start=None, end=None, limit: int | None = None
) -> QuerySet[Event]:
    """Visible events, not cancelled, that end after `start` (default: now) and start before `end`.
    Used by the newsletter."""
    events = visible_events().exclude(status=Event.Status.CANCELLED)
    start = start or timezone.now()
    if isinstance(start, date) and not isinstance(start, datetime):
        start = start_of_day(start)
    events = events.filter(end__gte=start)
    if end is not None:
        if isinstance(end, date) and not isinstance(end, datetime):
            end = start_of_day(end)
        events = events.filter(start__lt=end)
    if departements is not None:
        events = events.filter(departement__in=departements)
    events = with_organisers(events).order_by("start", "id")
    return events[:limit] if limit else events


def category_choices() -> list[tuple[str, str]]:
    """Categories of the coming events (slug, name), cached: one query at most every ten minutes."""
    cached = cache.get("agenda:categories")
    if cached is not None:
        return cached
    names: dict[str, str] = {}
    for categories in (
        visible_events().filter(end__gte=timezone.now()).values_list("categories", flat=True)[:20000]
    ):
        for name in categories or []:
            names.setdefault(slugify(name), name)
    choices = sorted(((slug, name) for slug, name in names.items() if slug), key=lambda item: item[1].lower())
    cache.set("agenda:categories", choices, 600)
    return choices


def source_choices() -> list[tuple[str, str]]:
    from sources.models import Source

    return list(
        Source.objects.filter(Q(agenda_feeds__is_active=True) | Q(agenda_events__isnull=False))
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )


def events_by_day(events, *, first_day: date, last_day: date) -> dict[date, list[Event]]:
    """Each day of the range with the events on it (a multi-day event appears on each of its days)."""
    days: dict[date, list[Event]] = {}
    for event in events:
        start = timezone.localtime(event.start, PARIS).date()
        end_moment = timezone.localtime(event.end, PARIS)
        end = end_moment.date()
        if end > start and end_moment.time() == time.min:
            end -= timedelta(days=1)  # an end at midnight belongs to the day before
        day = max(start, first_day)
        while day <= min(end, last_day):
            days.setdefault(day, []).append(event)
            day += timedelta(days=1)
    return days


def moderation_queues() -> dict:
    return {
        "proposals": Event.objects.filter(origin=Event.Origin.PROPOSED, review=Event.Review.PENDING).order_by(
            "start"
        ),
        "candidates": DuplicateCandidate.objects.filter(
            state=DuplicateCandidate.State.PENDING
        ).select_related("event__source", "other__source"),
        "feeds": AgendaFeed.objects.select_related("source").order_by("source__name", "name"),
        "hidden_events": Event.objects.filter(is_hidden=True, removed_at__isnull=True)
        .select_related("source")
        .order_by("start")[:100],
    }


def home_section(*, request) -> dict | None:
    events = list(upcoming_events(limit=5))
    if not events:
        return None
    return {
        "title": _("Agenda de la transition"),
        "items": [
            {
                "title": event.title,
                "url": event.get_absolute_url(),
                "meta": " · ".join(
                    part
                    for part in (
                        timezone.localtime(event.start, PARIS).strftime("%d/%m/%Y")
                        if event.all_day
                        else timezone.localtime(event.start, PARIS).strftime("%d/%m/%Y %H:%M"),
                        event.location,
                    )
                    if part
                ),
            }
            for event in events
        ],
        "more_url": reverse("agenda:index"),
        "more_label": _("Tout l'agenda"),
    }


def key_figures() -> list[dict]:
    return [
        {"value": upcoming_events().count(), "label": _("événements à venir dans l'agenda")},
        {"value": AgendaFeed.objects.filter(is_active=True).count(), "label": _("agendas de sources suivis")},
    ]


def personal_data(*, user) -> dict:
    """What the agenda stores about a person: the events they proposed."""
    return {
        "proposed_events": [
            {
                "title": event.title,
                "start": event.start.isoformat(),
                "location": event.location,
                "review": event.review,
                "submitter_name": event.submitter_name,
                "submitter_email": event.submitter_email,
                "proposed_at": event.first_seen_at.isoformat(),
            }
            for event in Event.objects.filter(submitted_by=user).order_by("first_seen_at")
        ]
    }
