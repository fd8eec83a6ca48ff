"""Issue 22's faults about source checks: one check per source at a time, a dead run found by its
heartbeat within minutes, and a sharp drop held for a maintainer's confirmation."""

import json
import threading
import time
from datetime import timedelta

from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

import pytest
from werkzeug import Response

from sources.models import ImportRun, SourceElement
from sources.services import checks, runs
from sources.services.checks import check_source
from tests.factories import UserFactory
from tests.sources.conftest import gogocarto_export, record
from tests.sources.factories import SourceFactory


def _records(count, prefix="e"):
    return [record(f"{prefix}{n}", f"Lieu {n}", lat=43.0 + n / 100, lng=3.0 + n / 100) for n in range(count)]


def _current(source):
    return SourceElement.objects.filter(source=source, removed_at__isnull=True).count()


# --- One check at a time --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_check_while_another_runs_is_dropped_without_an_alert(feed_source):
    source = feed_source(gogocarto_export(_records(3)), contact_email="contact@reseau.example")
    running = runs.start_run(source=source, kind="map_feed", trigger="manual", feed_url=source.feed_url)
    assert check_source(source=source) is None
    assert list(source.runs.values_list("pk", "state")) == [(running.pk, "started")]
    assert mail.outbox == [] and _current(source) == 0


@pytest.mark.django_db
def test_a_dead_run_is_found_by_its_heartbeat_within_minutes(feed_source):
    source = feed_source(gogocarto_export(_records(3)))
    alive = runs.start_run(source=source, kind="map_feed", trigger="manual", feed_url=source.feed_url)
    # Started long ago but still beating: alive, the new check is dropped.
    ImportRun.objects.filter(pk=alive.pk).update(
        started_at=timezone.now() - timedelta(hours=1), heartbeat_at=timezone.now() - timedelta(minutes=1)
    )
    assert check_source(source=source) is None
    # Silent for six minutes: dead. It is closed as interrupted and the check goes ahead.
    ImportRun.objects.filter(pk=alive.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=6))
    run = check_source(source=source)
    assert run is not None and run.state == ImportRun.State.COMPLETED
    alive.refresh_from_db()
    assert (alive.state, alive.reason) == (ImportRun.State.FAILED, runs.INTERRUPTED_REASON)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_checks_at_once_give_one_run_and_no_false_alert(httpserver):
    """A double click on "Vérifier": both tasks start together; one check runs, the other is dropped."""

    def slow_feed(request):
        time.sleep(0.3)  # both checks are under way at the same time
        return Response(gogocarto_export(_records(30)), content_type="application/json")

    httpserver.expect_request("/flux.json").respond_with_handler(slow_feed)
    source = SourceFactory(feed_url=httpserver.url_for("/flux.json"), contact_email="contact@reseau.example")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def check():
        try:
            barrier.wait(timeout=10)
            results.append(check_source(source=source, trigger=ImportRun.Trigger.MANUAL))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=check) for _index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    done = [run for run in results if run is not None]
    assert len(done) == 1 and done[0].state == ImportRun.State.COMPLETED
    assert list(source.runs.values_list("state", flat=True)) == [ImportRun.State.COMPLETED]
    assert mail.outbox == []  # no "problem with the feed"
    assert _current(source) == 30


# --- A sharp drop is held ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_sharp_drop_is_held_until_a_maintainer_confirms_it(
    feed_source, serve_feed, client, django_capture_on_commit_callbacks
):
    maintainer = UserFactory(email="mainteneuse@reseau.example")
    source = feed_source(gogocarto_export(_records(40)), maintainers=[maintainer])
    assert check_source(source=source).state == ImportRun.State.COMPLETED
    mail.outbox.clear()

    serve_feed(gogocarto_export(_records(20)))  # a truncated feed: half the records
    held = check_source(source=source)
    assert (held.state, held.level, held.reason) == (
        ImportRun.State.HELD,
        ImportRun.Level.WARNING,
        checks.DROP_HELD_REASON,
    )
    assert "20" in held.detail and "40" in held.detail and "-50" in held.detail
    assert _current(source) == 40  # nothing applied, nothing marked removed
    alert = next(message for message in mail.outbox if message.to == ["mainteneuse@reseau.example"])
    assert "confirmation" in alert.subject
    assert "confirmez-la depuis le tableau de bord" in alert.body
    status = json.loads(client.get(reverse("sources_api:status", args=[source.slug])).content)
    assert status["lastCheck"]["state"] == "held"

    client.force_login(maintainer)
    page = client.get(reverse("sources:dashboard", args=[source.slug])).content.decode()
    assert reverse("sources:confirm_held", args=[source.slug]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sources:confirm_held", args=[source.slug]))
    assert response.status_code == 302
    applied = checks.last_check(source=source)
    assert applied.pk != held.pk and applied.state == ImportRun.State.COMPLETED
    assert _current(source) == 20
    # Nothing held any more: a second confirmation is refused, with a message, not a 500.
    response = client.post(reverse("sources:confirm_held", args=[source.slug]), follow=True)
    assert "attend de confirmation" in response.content.decode()


@pytest.mark.django_db
def test_a_moderate_drop_or_a_small_feed_is_applied(feed_source, serve_feed, settings):
    source = feed_source(gogocarto_export(_records(40)))
    check_source(source=source)
    serve_feed(gogocarto_export(_records(30)))  # -25 %: under the 30 % threshold
    assert check_source(source=source).state == ImportRun.State.COMPLETED and _current(source) == 30

    small = feed_source(gogocarto_export(_records(10, prefix="s")))
    check_source(source=small)
    serve_feed(gogocarto_export(_records(2, prefix="s")))  # fewer than SOURCES_HOLD_MIN_ELEMENTS
    assert check_source(source=small).state == ImportRun.State.COMPLETED and _current(small) == 2


@pytest.mark.django_db
def test_a_held_drop_is_told_even_during_an_open_incident_but_once(feed_source, serve_feed):
    """A feed with a few broken records keeps an incident open for good: the hold must still be told."""
    broken = [record("x1", name=""), record("x2", name="")]
    source = feed_source(gogocarto_export(_records(40) + broken), contact_email="contact@reseau.example")
    assert check_source(source=source).state == ImportRun.State.ERRORS  # the incident opens, one alert
    assert len(mail.outbox) == 1
    serve_feed(gogocarto_export(_records(10) + broken))
    assert check_source(source=source).state == ImportRun.State.HELD
    assert len(mail.outbox) == 2 and "confirmation" in mail.outbox[1].subject
    assert check_source(source=source).state == ImportRun.State.HELD  # the same drop, still held
    assert len(mail.outbox) == 2
