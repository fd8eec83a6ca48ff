"""Alerts: once per incident, recovery, per (source, kind), immediate or daily digest."""

from django.core import mail

import pytest

from sources.models import AlertPreference, ImportRun, Incident, PendingAlert
from sources.services import alerts, runs
from tests.factories import UserFactory
from tests.sources.factories import ReportFactory, SourceFactory

pytestmark = pytest.mark.django_db


def finish(source, state, kind=ImportRun.Kind.MAP_FEED):
    run = runs.start_run(
        source=source, kind=kind, trigger=ImportRun.Trigger.SCHEDULE, feed_url="http://x.example/f"
    )
    level = {"completed": "success", "errors": "warning", "failed": "error"}[state]
    return runs.finish_run(run=run, state=state, level=level, reason="HTTP 500" if state == "failed" else "")


def test_problem_is_told_once_per_incident_then_recovery():
    maintainer = UserFactory(email="ines@colibris.example")
    source = SourceFactory(maintainers=[maintainer], contact_email="contact@colibris.example")

    finish(source, "completed")
    assert mail.outbox == []  # nothing to say

    finish(source, "errors")
    assert sorted(message.to[0] for message in mail.outbox) == [
        "contact@colibris.example",
        "ines@colibris.example",
    ]
    assert "Problème avec le flux" in mail.outbox[0].subject

    finish(source, "failed")
    finish(source, "errors")
    assert len(mail.outbox) == 2  # still the same incident: silent

    finish(source, "completed")
    assert len(mail.outbox) == 4
    assert "de nouveau en ordre" in mail.outbox[-1].subject
    incident = Incident.objects.get(source=source)
    assert incident.closed_at is not None

    finish(source, "completed")
    assert len(mail.outbox) == 4

    finish(source, "failed")
    assert len(mail.outbox) == 6  # a new incident
    assert Incident.objects.filter(source=source).count() == 2


def test_incidents_are_per_kind_and_agenda_runs_go_through_the_same_rule():
    source = SourceFactory(contact_email="contact@reseau.example")
    finish(source, "failed", kind=ImportRun.Kind.MAP_FEED)
    finish(source, "failed", kind=ImportRun.Kind.AGENDA)
    finish(source, "failed", kind=ImportRun.Kind.AGENDA)
    assert len(mail.outbox) == 2
    assert "import d'agenda" in mail.outbox[1].body
    finish(source, "completed", kind=ImportRun.Kind.AGENDA)
    assert len(mail.outbox) == 3
    assert Incident.objects.filter(source=source, kind="map_feed", closed_at__isnull=True).exists()


def test_run_finished_ignores_unfinished_runs():
    source = SourceFactory()
    run = runs.start_run(source=source, kind="agenda", trigger="schedule", feed_url="")
    alerts.run_finished(run=run)
    assert not Incident.objects.exists()


def test_daily_digest_preference_keeps_alerts_for_one_mail():
    digest_reader = UserFactory(email="hugo@alternatiba.example", preferred_language="en")
    AlertPreference.objects.create(user=digest_reader, mode=AlertPreference.Mode.DAILY_DIGEST)
    source = SourceFactory(maintainers=[digest_reader], contact_email="")
    finish(source, "failed")
    alerts.report_created(report=ReportFactory(source=source))
    assert mail.outbox == []
    assert PendingAlert.objects.filter(user=digest_reader, sent_at__isnull=True).count() == 2
    assert source.name in PendingAlert.objects.first().subject

    assert alerts.send_daily_digests() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hugo@alternatiba.example"]
    assert "2 alert" in mail.outbox[0].subject
    assert alerts.send_daily_digests() == 0


def test_unfinished_runs_of_both_kinds_are_recovered_as_failed(settings):
    from datetime import timedelta

    from django.utils import timezone

    source = SourceFactory(contact_email="contact@reseau.example")
    stale_map = runs.start_run(source=source, kind="map_feed", trigger="schedule", feed_url="")
    stale_agenda = runs.start_run(source=source, kind="agenda", trigger="schedule", feed_url="")
    alive = runs.start_run(source=SourceFactory(), kind="map_feed", trigger="schedule", feed_url="")
    old = timezone.now() - timedelta(hours=2)
    ImportRun.objects.filter(pk__in=[stale_map.pk, stale_agenda.pk]).update(
        heartbeat_at=old, state="in_progress"
    )

    recovered = runs.recover_unfinished()

    assert {run.pk for run in recovered} == {stale_map.pk, stale_agenda.pk}
    stale_map.refresh_from_db()
    assert (stale_map.state, stale_map.level) == ("failed", "error")
    assert stale_map.reason == runs.INTERRUPTED_REASON
    alive.refresh_from_db()
    assert alive.state == "started"
    assert len(mail.outbox) == 2  # one alert per kind
