"""The agenda for machines: ICS and RSS of the whole agenda or of any filter of the public list."""

from datetime import UTC, timedelta

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import icalendar

from core.sanitize import html_to_text

from . import selectors
from .forms import EventFilterForm
from .services.ics import PARIS

FEED_LIMIT = 500


def feed_events(request):
    """Coming (or filtered) events for an output; bounded, with their organisers in two queries."""
    filters = EventFilterForm(request.GET or None).filters()
    events = selectors.filter_events(selectors.visible_events(), **filters)
    if not filters["date_from"]:
        events = events.filter(end__gte=timezone.now() - timedelta(days=1))
    return selectors.with_organisers(events.order_by("start", "id"))[:FEED_LIMIT]


def ics_calendar(events) -> bytes:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Transiscope//Agenda//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Transiscope")
    now = timezone.now().astimezone(UTC)
    for event in events:
        component = icalendar.Event()
        component.add("uid", f"agenda-{event.pk}@{host}")
        component.add("dtstamp", now)
        if event.all_day:
            component.add("dtstart", timezone.localtime(event.start, PARIS).date())
            component.add("dtend", timezone.localtime(event.end, PARIS).date())
        else:
            component.add("dtstart", event.start.astimezone(UTC))
            component.add("dtend", event.end.astimezone(UTC))
        component.add("summary", event.title)
        if event.description:
            component.add("description", html_to_text(event.description))
        if event.location:
            component.add("location", event.location)
        if event.latitude is not None and event.longitude is not None:
            component.add("geo", (event.latitude, event.longitude))
        component.add("url", settings.SITE_URL + event.get_absolute_url())
        component.add("status", event.status.upper())
        component.add("sequence", event.sequence)
        if event.categories:
            component.add("categories", event.categories)
        calendar.add_component(component)
    return calendar.to_ical()


def agenda_ics(request):
    response = HttpResponse(ics_calendar(feed_events(request)), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda-transiscope.ics"'
    return response


class AgendaRss(Feed):
    def get_object(self, request):
        return request

    def title(self, request):
        return _("Agenda Transiscope")

    def link(self, request):
        query = request.GET.urlencode()
        return reverse("agenda:index") + (f"?{query}" if query else "")

    def description(self, request):
        return _("Les événements de la transition écologique et sociale, rassemblés par Transiscope.")

    def items(self, request):
        return feed_events(request)

    def item_title(self, event):
        prefix = _("ANNULÉ : ") if event.is_cancelled else ""
        moment = timezone.localtime(event.start, PARIS)
        when = moment.strftime("%d/%m/%Y") if event.all_day else moment.strftime("%d/%m/%Y %H:%M")
        return f"{prefix}{event.title} ({when})"

    def item_description(self, event):
        return event.description or event.location

    def item_link(self, event):
        return event.get_absolute_url()

    def item_pubdate(self, event):
        return event.first_seen_at

    def item_updateddate(self, event):
        return event.updated_at

    def item_categories(self, event):
        return event.categories
