"""Factories of the agenda's tests."""

from datetime import timedelta

from django.utils import timezone

import factory

from agenda.models import AgendaFeed, Event
from tests.sources import factories as sources_factories


class SourceFactory(sources_factories.SourceFactory):
    class Meta:
        django_get_or_create = ("slug",)

    territory = "30"


class AgendaFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaFeed

    source = factory.SubFactory(SourceFactory)
    name = factory.Sequence(lambda n: f"Agenda {n}")
    url = factory.Sequence(lambda n: f"https://agenda.exemple.org/{n}.ics")
    is_active = True


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    feed = factory.SubFactory(AgendaFeedFactory)
    source = factory.SelfAttribute("feed.source")
    uid = factory.Sequence(lambda n: f"evenement-{n}@exemple.org")
    title = factory.Sequence(lambda n: f"Atelier numéro {n}")
    location = "Maison des associations, 30000 Nîmes"
    departement = "30"
    region = "76"
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    end = factory.LazyAttribute(lambda event: event.start + timedelta(hours=2))
