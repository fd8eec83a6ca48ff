"""Pages of the agenda. Thin: forms validate, selectors read, services write."""

import calendar
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_POST

from django_ratelimit.decorators import ratelimit

from accounts import permissions
from core.redirects import redirect_to_next

from . import selectors
from .forms import EventFilterForm, ProposeEventForm
from .models import AgendaFeed, DuplicateCandidate, Event
from .services import duplicates, moderation
from .services.download import FeedUnavailable, fetch
from .services.ics import PARIS, FeedUnparseable, default_window, parse_feed

PAGE_SIZE = 30
MONTH_LIMIT = 1500


def moderator_required(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.can_moderate_agenda(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


def _filtered(request, events=None):
    form = EventFilterForm(request.GET or None)
    filters = form.filters()
    events = selectors.filter_events(selectors.visible_events() if events is None else events, **filters)
    return form, filters, events


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def index(request):
    """The agenda as a list, coming events first."""
    form, filters, events = _filtered(request)
    if not filters["date_from"]:
        events = events.filter(end__gte=timezone.now())
    page = Paginator(selectors.with_organisers(events.order_by("start", "id")), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate(timezone=PARIS)
    return render(
        request,
        "agenda/index.html",
        {
            "form": form,
            "page_obj": page,
            "events": page.object_list,
            "query": _query_without(request, "page"),
            "month_url": reverse("agenda:month", kwargs={"year": today.year, "month": today.month}),
            "can_moderate": permissions.can_moderate_agenda(request.user),
        },
    )


def month(request, year: int, month: int):
    """A month as a calendar grid (a table: one row per week)."""
    if not (1 <= month <= 12 and 1900 < year < 2200):
        raise Http404
    first_day = date(year, month, 1)
    last_day = date(year, month, calendar.monthrange(year, month)[1])
    form, _filters, events = _filtered(request)
    events = selectors.filter_events(events, date_from=first_day, date_to=last_day)
    events = list(events.select_related("source").order_by("start", "id")[: MONTH_LIMIT + 1])
    truncated = len(events) > MONTH_LIMIT
    by_day = selectors.events_by_day(events[:MONTH_LIMIT], first_day=first_day, last_day=last_day)
    weeks = [
        [{"day": day, "in_month": day.month == month, "events": by_day.get(day, [])} for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    previous_month = first_day - timedelta(days=1)
    next_month = last_day + timedelta(days=1)
    return render(
        request,
        "agenda/month.html",
        {
            "form": form,
            "weeks": weeks,
            "first_day": first_day,
            "truncated": truncated,
            "query": _query_without(request, "du", "au"),
            "previous_url": reverse(
                "agenda:month", kwargs={"year": previous_month.year, "month": previous_month.month}
            ),
            "next_url": reverse("agenda:month", kwargs={"year": next_month.year, "month": next_month.month}),
            "weekdays": [
                _("lundi"),
                _("mardi"),
                _("mercredi"),
                _("jeudi"),
                _("vendredi"),
                _("samedi"),
                _("dimanche"),
            ],
        },
    )


def event_detail(request, pk: int):
    event = get_object_or_404(Event.objects.select_related("source", "feed", "duplicate_of"), pk=pk)
    moderator = permissions.can_moderate_agenda(request.user)
    if not moderator and not selectors.visible_events().filter(pk=pk).exists():
        if event.duplicate_of_id and selectors.visible_events().filter(pk=event.duplicate_of_id).exists():
            return redirect(event.duplicate_of)
        raise Http404
    co_organisers = [
        duplicate.source
        for duplicate in event.duplicates.filter(removed_at__isnull=True).select_related("source")
        if duplicate.source and duplicate.source != event.source
    ]
    return render(
        request,
        "agenda/event_detail.html",
        {"event": event, "co_organisers": co_organisers, "can_moderate": moderator},
    )


@xframe_options_exempt
def widget(request):
    """A small list of coming events for a territory or a source, meant for an iframe on other sites."""
    form, _filters, events = _filtered(request)
    events = selectors.with_organisers(events.filter(end__gte=timezone.now()).order_by("start", "id"))[:10]
    return render(
        request,
        "agenda/widget.html",
        {"events": events, "query": request.GET.urlencode(), "form": form},
    )


@ratelimit(key="ip", rate="5/h", method="POST", block=True)
def propose(request):
    form = ProposeEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        moderation.propose_event(
            title=data["title"],
            start_date=data["start_date"],
            start_time=data["start_time"],
            end_date=data["end_date"],
            end_time=data["end_time"],
            location=data["location"],
            departement=data["departement"],
            url=data["url"],
            description=data["description"],
            submitter_name=data["submitter_name"],
            submitter_email=data["submitter_email"],
            submitted_by=request.user,
        )
        messages.success(request, _("Merci ! Votre événement sera publié après relecture par l'équipe."))
        return redirect("agenda:index")
    return render(request, "agenda/propose.html", {"form": form})


@moderator_required
def moderation_index(request):
    return render(request, "agenda/moderation.html", selectors.moderation_queues())


@moderator_required
def feed_preview(request, pk: int):
    """What the feed would import now, without storing anything."""
    feed = get_object_or_404(AgendaFeed.objects.select_related("source"), pk=pk)
    window_start, window_end = default_window()
    context = {"feed": feed, "window_start": window_start, "window_end": window_end}
    try:
        fetched = fetch(location=feed.url)
        parsed = parse_feed(fetched.content or b"", window_start=window_start, window_end=window_end)
    except (FeedUnavailable, FeedUnparseable) as error:
        context["failure"] = str(error)
    else:
        occurrences = sorted(parsed.occurrences, key=lambda item: item["start"])
        context.update(parsed=parsed, occurrences=occurrences[:200], more=max(0, len(occurrences) - 200))
    return render(request, "agenda/feed_preview.html", context)


@require_POST
@moderator_required
def feed_action(request, pk: int):
    feed = get_object_or_404(AgendaFeed, pk=pk)
    action = request.POST.get("action")
    if action in {"activate", "deactivate"}:
        moderation.activate_feed(feed=feed, active=action == "activate")
    elif action in {"hide", "show"}:
        moderation.set_feed_hidden(feed=feed, hidden=action == "hide")
    else:
        raise Http404
    messages.success(request, _("Le flux « %(feed)s » a été mis à jour.") % {"feed": feed})
    return redirect("agenda:moderation")


@require_POST
@moderator_required
def event_action(request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    action = request.POST.get("action")
    if action in {"hide", "show"}:
        moderation.set_event_hidden(event=event, hidden=action == "hide")
    elif action in {"approve", "reject"} and event.origin == Event.Origin.PROPOSED:
        moderation.review_proposal(event=event, approve=action == "approve")
    else:
        raise Http404
    messages.success(request, _("L'événement « %(title)s » a été mis à jour.") % {"title": event.title})
    return redirect_to_next(request, "agenda:moderation")


@require_POST
@moderator_required
def duplicate_decision(request, pk: int):
    candidate = get_object_or_404(DuplicateCandidate, pk=pk, state=DuplicateCandidate.State.PENDING)
    decision = request.POST.get("decision")
    if decision not in {"same", "distinct"}:
        raise Http404
    duplicates.decide(candidate=candidate, same=decision == "same", by=request.user)
    messages.success(request, _("Décision enregistrée."))
    return redirect("agenda:moderation")
