"""Reads: visibility, filters, the newsletter's contract, home section and personal data."""

from datetime import date, datetime, timedelta

from django.test import RequestFactory
from django.utils import timezone

import pytest

from agenda.models import Event
from agenda.selectors import (
    filter_events,
    home_section,
    key_figures,
    personal_data,
    upcoming_events,
    visible_events,
)
from agenda.services.ics import PARIS
from agenda.services.moderation import propose_event, review_proposal
from tests.agenda.factories import AgendaFeedFactory, EventFactory, SourceFactory

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10):
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)


def test_visibility_rules():
    shown = EventFactory()
    EventFactory(is_hidden=True)
    EventFactory(removed_at=timezone.now())
    EventFactory(feed=AgendaFeedFactory(is_hidden=True))
    EventFactory(feed=AgendaFeedFactory(is_active=False))
    EventFactory(review=Event.Review.PENDING)
    duplicate = EventFactory(duplicate_of=shown)
    assert list(visible_events()) == [shown]
    shown.is_hidden = True
    shown.save()
    assert list(visible_events()) == [duplicate]  # the copy takes over when the first one is hidden


def test_upcoming_events_contract():
    soon = EventFactory(departement="30")
    EventFactory(departement="34")
    EventFactory(status=Event.Status.CANCELLED, departement="30")
    EventFactory(start=timezone.now() - timedelta(days=5), end=timezone.now() - timedelta(days=4))
    later = EventFactory(departement="30", start=timezone.now() + timedelta(days=40))
    assert list(upcoming_events(departements={"30"})) == [soon, later]
    assert list(upcoming_events(departements={"30"}, end=timezone.now() + timedelta(days=10))) == [soon]
    assert list(upcoming_events(departements={"30"}, limit=1)) == [soon]
    assert list(upcoming_events(departements={"30"}, start=timezone.localdate() + timedelta(days=20))) == [
        later
    ]


def test_filters():
    day = timezone.localdate() + timedelta(days=10)
    nimes = EventFactory(
        title="Repair café",
        departement="30",
        region="76",
        categories=["Réemploi"],
        start=at(day),
        end=at(day, 12),
    )
    nimes.save()  # builds the category index
    lyon = EventFactory(
        title="Disco soupe",
        departement="69",
        region="84",
        location="Lyon",
        start=at(day + timedelta(days=5)),
        end=at(day + timedelta(days=5), 12),
    )
    events = visible_events()
    assert list(filter_events(events, territory="30")) == [nimes]
    assert list(filter_events(events, territory="R84")) == [lyon]
    assert list(filter_events(events, category="reemploi")) == [nimes]
    assert list(filter_events(events, text="soupe lyon")) == [lyon]
    assert list(filter_events(events, source=lyon.source.slug)) == [lyon]
    assert list(filter_events(events, date_from=day + timedelta(days=1))) == [lyon]
    assert list(filter_events(events, date_to=day)) == [nimes]
    assert list(filter_events(events, territory="99")) == []


def test_proposals_are_held_until_approved():
    event = propose_event(
        title="Pique-nique zéro déchet",
        start_date=timezone.localdate() + timedelta(days=3),
        location="Parc, 30000 Nîmes",
        departement="30000",
        description="**Venez** !",
        submitter_name="Zoé",
        submitter_email="zoe@exemple.org",
    )
    assert event.review == Event.Review.PENDING and event.all_day and event.departement == "30"
    assert "<strong>Venez</strong>" in event.description
    assert not visible_events().exists()
    review_proposal(event=event, approve=True)
    assert list(visible_events()) == [event]


def test_home_section_and_key_figures():
    EventFactory(title="Marche pour le climat")
    section = home_section(request=RequestFactory().get("/"))
    assert section["items"][0]["title"] == "Marche pour le climat"
    figures = {figure["label"]: figure["value"] for figure in key_figures()}
    assert figures["événements à venir dans l'agenda"] == 1
    Event.objects.all().delete()
    assert home_section(request=RequestFactory().get("/")) is None


def test_personal_data(user):
    propose_event(
        title="Troc de graines",
        start_date=date(2027, 4, 1),
        location="Nîmes",
        departement="30",
        submitter_name="Moi",
        submitter_email=user.email,
        submitted_by=user,
    )
    data = personal_data(user=user)
    assert data["proposed_events"][0]["title"] == "Troc de graines"
    assert data["proposed_events"][0]["submitter_email"] == user.email
    import json

    json.dumps(data)


def test_deleting_a_user_keeps_their_proposal(user):
    event = propose_event(
        title="Troc",
        start_date=date(2027, 4, 1),
        departement="30",
        submitted_by=user,
        submitter_name="Moi",
        submitter_email=user.email,
    )
    user.delete()
    event.refresh_from_db()
    assert event.submitted_by is None and event.submitter_email == "" and event.submitter_name == ""


def test_source_filter_through_co_organisation():
    first = EventFactory()
    other_source = SourceFactory()
    EventFactory(feed=AgendaFeedFactory(source=other_source), duplicate_of=first)
    assert list(filter_events(visible_events(), source=other_source.slug)) == [first]
