"""Importing feeds over HTTP from a local server: upsert, history, failures that lose nothing."""

import time
from datetime import UTC, date, datetime

from django.utils import timezone

import pytest
from werkzeug import Response

from agenda.models import Event
from agenda.services.imports import import_feed, import_feed_content
from core import http
from sources.models import ImportRun, RunError
from tests.agenda.conftest import ics
from tests.agenda.factories import AgendaFeedFactory

pytestmark = pytest.mark.django_db


def feed_for(source, url, **kwargs):
    return AgendaFeedFactory(source=source, url=url, **kwargs)


def test_import_over_http_stores_occurrences_in_utc_and_records_a_run(source, serve_ics, window, settings):
    settings.PORTAL_HTTP_USER_AGENT = "TestAgent/1"
    feed = feed_for(source, serve_ics("nextcloud_vtimezone.ics"), default_categories=["Réseau"])
    run = import_feed(feed=feed, **window)
    assert run.state == ImportRun.State.COMPLETED and run.level == ImportRun.Level.SUCCESS
    assert run.kind == ImportRun.Kind.AGENDA and run.source == source
    assert run.counters["events_created"] == 2 and run.counters["occurrences"] == 2
    assert run.http_status == 200 and run.bytes_read > 0
    repair = Event.objects.get(uid="repair-cafe-2027-02@framagenda.org")
    assert repair.start == datetime(2027, 2, 13, 13, tzinfo=UTC)
    assert repair.source == source and repair.feed == feed
    assert repair.departement == "69" and repair.region == "84"  # from the postcode, not the feed's default
    assert repair.categories == ["Réemploi", "Atelier", "Réseau"]
    assert repair.sequence == 1 and repair.last_modified == datetime(2026, 10, 21, 8, tzinfo=UTC)


def test_user_agent_and_conditional_get(source, httpserver, window, settings):
    settings.PORTAL_HTTP_USER_AGENT = "TestAgent/1"
    httpserver.expect_ordered_request("/feed.ics", headers={"User-Agent": "TestAgent/1"}).respond_with_data(
        ics("rdate.ics"), headers={"ETag": '"v1"', "Last-Modified": "Sun, 01 Nov 2026 10:00:00 GMT"}
    )
    httpserver.expect_ordered_request(
        "/feed.ics", headers={"If-None-Match": '"v1"', "If-Modified-Since": "Sun, 01 Nov 2026 10:00:00 GMT"}
    ).respond_with_data("", status=304)
    feed = feed_for(source, httpserver.url_for("/feed.ics"))
    assert import_feed(feed=feed, **window).counters["events_created"] == 3
    feed.refresh_from_db()
    assert feed.etag == '"v1"'
    second = import_feed(feed=feed, **window)
    assert second.not_modified and second.state == ImportRun.State.COMPLETED
    assert second.counters["events_unchanged"] == 3
    httpserver.check_assertions()


def test_second_import_of_same_content_changes_nothing(source, serve_ics, window):
    feed = feed_for(source, serve_ics("weekly_exdate_moved.ics"))
    first = import_feed(feed=feed, conditional=False, **window)
    second = import_feed(feed=feed, conditional=False, **window)
    assert first.counters["events_created"] == 5
    assert {k: second.counters[k] for k in ("events_created", "events_updated", "events_removed")} == {
        "events_created": 0,
        "events_updated": 0,
        "events_removed": 0,
    }
    assert second.counters["events_unchanged"] == 5


def test_changed_event_is_updated_and_disappeared_event_kept_in_history(source, window):
    feed = feed_for(source, "https://exemple.org/a.ics")
    import_feed_content(feed=feed, content=ics("nextcloud_vtimezone.ics"), **window)
    run = import_feed_content(feed=feed, content=ics("nextcloud_vtimezone_v2.ics"), **window)
    assert run.counters["events_updated"] == 1 and run.counters["events_removed"] == 1
    repair = Event.objects.get(uid__startswith="repair")
    assert repair.title.endswith("(nouvel horaire)") and repair.sequence == 2
    assert repair.start == datetime(2027, 2, 13, 13, 30, tzinfo=UTC)
    gone = Event.objects.get(uid__startswith="disco")
    assert gone.removed_at is not None  # kept, but out of the agenda
    # It comes back if the feed publishes it again.
    back = import_feed_content(feed=feed, content=ics("nextcloud_vtimezone.ics"), **window)
    gone.refresh_from_db()
    assert gone.removed_at is None and back.counters["events_updated"] == 2


def test_cancelled_occurrences_are_kept_and_counted(source, window):
    feed = feed_for(source, "https://exemple.org/c.ics")
    run = import_feed_content(feed=feed, content=ics("cancelled_instance.ics"), **window)
    assert run.counters["events_cancelled"] == 2 and run.counters["occurrences"] == 4
    assert Event.objects.filter(status=Event.Status.CANCELLED).count() == 2


def test_broken_vevent_is_recorded_as_run_error(source, window):
    feed = feed_for(source, "https://exemple.org/b.ics")
    run = import_feed_content(feed=feed, content=ics("one_broken_vevent.ics"), **window)
    assert run.state == ImportRun.State.ERRORS
    assert run.level == ImportRun.Level.ERROR  # GoGoCarto rule: 1 broken in 3 is more than a quarter
    assert Event.objects.filter(feed=feed).count() == 2
    error = RunError.objects.get(run=run)
    assert (error.position, error.element_id) == (2, "casse@exemple.org")


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("google_xwr_timezone.ics", 4),
        ("rdate.ics", 3),
        ("allday_multiday.ics", 3),
        ("dst_change.ics", 2),
        ("missing_dtend.ics", 3),
        ("bom_folded.ics", 1),
    ],
)
def test_each_fixture_imports_over_http(source, serve_ics, window, name, count):
    run = import_feed(feed=feed_for(source, serve_ics(name)), **window)
    assert run.state == ImportRun.State.COMPLETED
    assert run.counters["events_created"] == count == Event.objects.count()


def _import_good_feed(source, httpserver, window):
    httpserver.expect_ordered_request("/f.ics").respond_with_data(ics("rdate.ics"))
    feed = feed_for(source, httpserver.url_for("/f.ics"))
    assert import_feed(feed=feed, **window).state == ImportRun.State.COMPLETED
    return feed


def test_http_500_fails_with_a_reason_and_keeps_events(source, httpserver, window):
    feed = _import_good_feed(source, httpserver, window)
    httpserver.expect_ordered_request("/f.ics").respond_with_data("oops", status=500)
    run = import_feed(feed=feed, conditional=False, **window)
    assert run.state == ImportRun.State.FAILED and run.level == ImportRun.Level.ERROR
    assert run.reason == http.HTTP_ERROR and "500" in run.detail and "\n" not in run.detail
    assert Event.objects.filter(feed=feed, removed_at__isnull=True).count() == 3


def test_non_ics_body_fails_and_keeps_events(source, httpserver, window):
    feed = _import_good_feed(source, httpserver, window)
    httpserver.expect_ordered_request("/f.ics").respond_with_data(
        ics("not_ics.html"), content_type="text/html"
    )
    run = import_feed(feed=feed, conditional=False, **window)
    assert run.state == ImportRun.State.FAILED and "ICS" in run.reason
    assert Event.objects.filter(feed=feed, removed_at__isnull=True).count() == 3


def test_timeout_fails_and_keeps_events(source, httpserver, window, settings):
    feed = _import_good_feed(source, httpserver, window)
    settings.AGENDA_HTTP_TIMEOUT = 0.3

    def slow(request):
        time.sleep(1.0)
        return Response(ics("rdate.ics"))

    httpserver.expect_ordered_request("/f.ics").respond_with_handler(slow)
    started = time.monotonic()
    run = import_feed(feed=feed, conditional=False, **window)
    assert time.monotonic() - started < 1.0
    assert run.state == ImportRun.State.FAILED and "temps" in run.reason
    assert Event.objects.filter(feed=feed, removed_at__isnull=True).count() == 3


def test_size_limit(source, httpserver, window, settings):
    settings.AGENDA_MAX_FEED_BYTES = 100
    httpserver.expect_request("/big.ics").respond_with_data(ics("google_xwr_timezone.ics"))
    run = import_feed(feed=feed_for(source, httpserver.url_for("/big.ics")), **window)
    assert run.state == ImportRun.State.FAILED and "trop volumineux" in run.reason


def test_unreachable_server_fails(source, window):
    run = import_feed(feed=feed_for(source, "http://127.0.0.1:9/agenda.ics"), **window)
    assert run.state == ImportRun.State.FAILED and run.reason


def test_local_paths_are_refused_outside_the_command(source, window):
    run = import_feed(feed=feed_for(source, "/etc/passwd"), **window)
    assert run.state == ImportRun.State.FAILED and "non prise en charge" in run.reason


def test_same_uid_in_two_feeds_does_not_collide(source, window):
    first = feed_for(source, "https://exemple.org/1.ics")
    second = feed_for(source, "https://exemple.org/2.ics")
    import_feed_content(feed=first, content=ics("rdate.ics"), **window)
    import_feed_content(feed=second, content=ics("rdate.ics"), **window)
    assert Event.objects.count() == 6


def test_default_window_starts_yesterday(source):
    today = timezone.localdate()
    body = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
        f"BEGIN:VEVENT\r\nUID:past\r\nDTSTART;VALUE=DATE:{today.replace(year=today.year - 1):%Y%m%d}\r\n"
        "SUMMARY:Passé\r\nEND:VEVENT\r\n"
        f"BEGIN:VEVENT\r\nUID:soon\r\nDTSTART;VALUE=DATE:{today:%Y%m%d}\r\nSUMMARY:Bientôt\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    run = import_feed_content(feed=feed_for(source, "https://exemple.org/d.ics"), content=body)
    assert run.counters["occurrences"] == 1
    assert list(Event.objects.values_list("uid", flat=True)) == ["soon"]


def test_database_failure_rolls_back_and_records_a_failed_run(source, window, monkeypatch):
    from django.db import DatabaseError

    from agenda.services import imports

    feed = feed_for(source, "https://exemple.org/db.ics")
    import_feed_content(feed=feed, content=ics("nextcloud_vtimezone.ics"), **window)

    def failing_duplicates(*, events):
        raise DatabaseError("disque plein")

    # Fails after the update and the removal were written: both must be rolled back.
    monkeypatch.setattr(imports, "detect_duplicates", failing_duplicates)
    run = import_feed_content(feed=feed, content=ics("nextcloud_vtimezone_v2.ics"), **window)
    assert run.state == ImportRun.State.FAILED and "disque plein" in run.reason
    assert Event.objects.filter(feed=feed, removed_at__isnull=True).count() == 2
    assert not Event.objects.filter(title__endswith="(nouvel horaire)").exists()


def _calendar(*events: tuple[str, str, str, str]) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Agenda//FR"]
    for uid, start, end, summary in events:
        lines += ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261101T100000Z", start, end, f"SUMMARY:{summary}"]
        lines += ["END:VEVENT"]
    return "\r\n".join([*lines, "END:VCALENDAR", ""])


FESTIVAL = ("festival@exemple.org", "DTSTART;VALUE=DATE:20261230", "DTEND;VALUE=DATE:20270104", "Festival")
DECEMBER = ("passe@exemple.org", "DTSTART:20261215T180000Z", "DTEND:20261215T200000Z", "Réunion")
WORKSHOP = ("reste@exemple.org", "DTSTART:20270210T180000Z", "DTEND:20270210T200000Z", "Atelier vélo")


def test_event_under_way_when_the_window_opens_is_removed_when_it_leaves_the_feed(source):
    """A multi-day event begun before the window is read with the window; one over before it is history."""
    feed = feed_for(source, "https://exemple.org/m.ics")
    december = {"window_start": date(2026, 12, 1), "window_end": date(2027, 12, 1)}
    import_feed_content(feed=feed, content=_calendar(FESTIVAL, DECEMBER, WORKSHOP), **december)
    assert Event.objects.filter(feed=feed, removed_at__isnull=True).count() == 3

    january = {"window_start": date(2027, 1, 2), "window_end": date(2027, 12, 1)}
    run = import_feed_content(feed=feed, content=_calendar(WORKSHOP), **january)
    assert run.counters["events_removed"] == 1
    assert Event.objects.get(uid="festival@exemple.org").removed_at is not None
    assert Event.objects.get(uid="passe@exemple.org").removed_at is None  # over before the window: history
    assert Event.objects.get(uid="reste@exemple.org").removed_at is None
