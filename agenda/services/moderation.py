"""Moderation: hide an event or a whole feed, and the events people propose (held until reviewed)."""

import uuid
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from core.sanitize import markdown_to_html
from core.territories import departement_of, region_of

from ..models import AgendaFeed, Event
from .ics import PARIS


def set_event_hidden(*, event: Event, hidden: bool) -> Event:
    event.is_hidden = hidden
    event.save(update_fields=["is_hidden", "updated_at"])
    return event


def set_feed_hidden(*, feed: AgendaFeed, hidden: bool) -> AgendaFeed:
    feed.is_hidden = hidden
    feed.save(update_fields=["is_hidden"])
    return feed


def activate_feed(*, feed: AgendaFeed, active: bool = True) -> AgendaFeed:
    feed.is_active = active
    feed.save(update_fields=["is_active"])
    if active:
        from ..tasks import queue_feed_import

        transaction.on_commit(lambda: queue_feed_import(feed_id=feed.pk))
    return feed


def propose_event(
    *,
    title: str,
    start_date,
    start_time=None,
    end_date=None,
    end_time=None,
    location: str = "",
    departement: str = "",
    url: str = "",
    description: str = "",
    submitter_name: str = "",
    submitter_email: str = "",
    submitted_by=None,
) -> Event:
    """An event someone proposes: stored pending, shown only once a moderator approves it."""
    all_day = start_time is None
    if all_day:
        start = datetime.combine(start_date, time.min, tzinfo=PARIS)
        end = datetime.combine(end_date or start_date, time.min, tzinfo=PARIS) + timedelta(days=1)
    else:
        start = datetime.combine(start_date, start_time, tzinfo=PARIS)
        end = datetime.combine(end_date or start_date, end_time or start_time, tzinfo=PARIS)
        if end <= start:
            end = start + timedelta(hours=2)
    departement = departement_of(departement)
    event = Event.objects.create(
        origin=Event.Origin.PROPOSED,
        uid=f"proposition-{uuid.uuid4()}",
        title=title[:500],
        start=start,
        end=end,
        all_day=all_day,
        location=location[:500],
        departement=departement,
        region=region_of(departement) if departement else "",
        url=url,
        description=markdown_to_html(description),
        review=Event.Review.PENDING,
        submitter_name=submitter_name,
        submitter_email=submitter_email,
        submitted_by=submitted_by if submitted_by and submitted_by.is_authenticated else None,
    )
    transaction.on_commit(lambda: notify_moderators(event=event))
    return event


def notify_moderators(*, event: Event) -> int:
    """Tell the team (staff, and the "staff" group) that a proposal waits; each in their language."""
    from accounts import permissions
    from core.mail import send_templated_mail

    emails = permissions.team_members().exclude(email="").values_list("email", flat=True).distinct()
    sent = 0
    for email in emails:
        sent += send_templated_mail(to=email, template="agenda/email/proposal_new", context={"event": event})
    return sent


def review_proposal(*, event: Event, approve: bool) -> Event:
    event.review = Event.Review.APPROVED if approve else Event.Review.REJECTED
    event.save(update_fields=["review", "updated_at"])
    return event


def forget_submitter(*, user) -> int:
    """What deleting an account does to its proposals: they stay, without the person's details."""
    return Event.objects.filter(submitted_by=user).update(
        submitted_by=None, submitter_name="", submitter_email="", updated_at=timezone.now()
    )
