"""The demo agenda loads through the real import code and is idempotent."""

import io

from django.core.management import call_command

import pytest

from agenda.models import AgendaFeed, Event
from sources.models import ImportRun

pytestmark = pytest.mark.django_db


def test_demo_loads_feeds_portal_events_and_is_idempotent():
    call_command("load_demo", only=["accounts", "agenda"], stdout=io.StringIO())
    assert AgendaFeed.objects.filter(url__startswith="demo:", is_active=True).count() == 4
    assert ImportRun.objects.filter(kind=ImportRun.Kind.AGENDA, state=ImportRun.State.COMPLETED).count() == 4
    assert Event.objects.filter(origin=Event.Origin.PORTAL, uid="portail:anniversaire").exists()
    assert Event.objects.filter(duplicate_of__isnull=False).exists()  # the climate march, from two sources
    assert Event.objects.filter(status=Event.Status.CANCELLED).exists()
    counts = (Event.objects.count(), Event.objects.filter(review=Event.Review.PENDING).count())
    call_command("load_demo", only=["accounts", "agenda"], stdout=io.StringIO())
    assert (Event.objects.count(), Event.objects.filter(review=Event.Review.PENDING).count()) == counts
    second_runs = ImportRun.objects.filter(kind=ImportRun.Kind.AGENDA).order_by("-pk")[:4]
    assert all(run.counters["events_created"] == 0 for run in second_runs)
