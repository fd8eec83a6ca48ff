"""Language-neutral agenda outputs: /agenda.ics and /agenda.rss, with the public list's filters."""

from django.urls import path

from . import feeds

urlpatterns = [
    path("agenda.ics", feeds.agenda_ics, name="agenda_ics"),
    path("agenda.rss", feeds.AgendaRss(), name="agenda_rss"),
]
