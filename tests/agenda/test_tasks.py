"""The periodic import: the schedule created by the migration and the task that queues due feeds."""

from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.utils import timezone

import pytest
from django_q.models import Schedule

from agenda.models import Event
from agenda.tasks import import_due_feeds, import_feed_task
from sources.models import ImportRun
from tests.agenda.conftest import ics
from tests.agenda.factories import AgendaFeedFactory

pytestmark = pytest.mark.django_db


def test_schedule_migration_is_idempotent():
    migration = import_module("agenda.migrations.0002_schedule")
    migration.create_schedule(apps, None)
    migration.create_schedule(apps, None)
    schedule = Schedule.objects.get(func="agenda.tasks.import_due_feeds")
    assert schedule.schedule_type == Schedule.MINUTES and schedule.repeats == -1


def test_due_feeds_are_imported(httpserver, settings):
    next_year = str(timezone.localdate().year + 1).encode()
    httpserver.expect_request("/due.ics").respond_with_data(ics("rdate.ics").replace(b"2027", next_year))
    due = AgendaFeedFactory(url=httpserver.url_for("/due.ics"))
    AgendaFeedFactory(url=httpserver.url_for("/fresh.ics"), last_import_at=timezone.now())
    AgendaFeedFactory(url=httpserver.url_for("/inactive.ics"), is_active=False)
    AgendaFeedFactory(url="/srv/agenda/fichier-local.ics")  # made by import_ics from a file
    assert import_due_feeds() == 1  # tasks run synchronously in tests
    run = ImportRun.objects.get()
    assert run.counters["feed_id"] == due.pk and run.trigger == ImportRun.Trigger.SCHEDULE
    assert Event.objects.filter(feed=due).count() == 3
    due.refresh_from_db()
    assert due.last_import_at > timezone.now() - timedelta(minutes=1)


def test_task_skips_inactive_feed():
    feed = AgendaFeedFactory(is_active=False)
    assert import_feed_task(feed.pk) == "skipped"
    assert not ImportRun.objects.exists()


def test_failed_agenda_run_opens_an_incident_and_alerts(httpserver, mailoutbox):
    from sources.models import Incident

    httpserver.expect_request("/down.ics").respond_with_data("", status=500)
    feed = AgendaFeedFactory(url=httpserver.url_for("/down.ics"))
    feed.source.contact_email = "contact@exemple.org"
    feed.source.save()
    assert import_feed_task(feed.pk) == ImportRun.State.FAILED
    assert Incident.objects.filter(
        source=feed.source, kind=ImportRun.Kind.AGENDA, closed_at__isnull=True
    ).exists()
    assert [message.to for message in mailoutbox] == [["contact@exemple.org"]]
