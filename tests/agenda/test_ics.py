"""Reading ICS files into occurrences (no database)."""

from datetime import UTC, datetime

import pytest

from agenda.services.ics import FeedUnparseable, parse_feed
from tests.agenda.conftest import WINDOW, ics


def parse(name):
    return parse_feed(ics(name), **WINDOW)


def by_start(parsed):
    return sorted(parsed.occurrences, key=lambda item: item["start"])


def test_google_x_wr_timezone_keeps_local_time_across_dst():
    parsed = parse("google_xwr_timezone.ics")
    weekly = [o for o in by_start(parsed) if o["uid"].startswith("5l8q")]
    # 18:00 in Paris every week: 17:00 UTC in winter, 16:00 UTC after the change of 28 March 2027.
    assert [o["start"] for o in weekly] == [
        datetime(2027, 3, 20, 17, tzinfo=UTC),
        datetime(2027, 3, 27, 17, tzinfo=UTC),
        datetime(2027, 4, 3, 16, tzinfo=UTC),
    ]
    first = weekly[0]
    assert first["sequence"] == 2
    assert first["last_modified"] == datetime(2026, 10, 15, 10, 15, tzinfo=UTC)
    assert "<script" not in first["description"] and "alert(1)" not in first["description"]
    assert 'href="https://alternatiba.eu/nimes"' in first["description"]
    assert first["location"] == "Maison des associations, 6 rue Jean Reboul, 30000 Nîmes, France"
    assert first["postcode"] == "30000"
    assert parsed.occurrence_count == 4 and parsed.errors == []


def test_nextcloud_vtimezone_geo_url_categories_organiser():
    parsed = parse("nextcloud_vtimezone.ics")
    repair = next(o for o in parsed.occurrences if o["uid"].startswith("repair"))
    assert repair["start"] == datetime(2027, 2, 13, 13, tzinfo=UTC)
    assert repair["end"] == datetime(2027, 2, 13, 17, tzinfo=UTC)
    assert (repair["latitude"], repair["longitude"]) == (45.7745, 4.832)
    assert repair["url"] == "https://repaircafe-croixrousse.org/fevrier"
    assert repair["categories"] == ["Réemploi", "Atelier"]
    assert repair["organiser"] == "Repair Café Croix-Rousse"
    assert repair["recurrence_id"] == ""
    assert repair["description"] == (
        "<p>Apportez vos objets cassés :<br>nous les réparons ensemble.</p><p>Entrée libre.</p>"
    )


def test_weekly_rrule_with_exdate_and_moved_instance():
    parsed = parse("weekly_exdate_moved.ics")
    occurrences = by_start(parsed)
    assert [o["start"].date().isoformat() for o in occurrences] == [
        "2027-01-05", "2027-01-12", "2027-01-27", "2027-02-02", "2027-02-09",
    ]  # fmt: skip
    moved = occurrences[2]
    assert moved["recurrence_id"] == "20270126T173000Z"
    assert moved["title"] == "Distribution de l'AMAP (exceptionnellement mercredi)"
    assert moved["sequence"] == 1
    assert len({o["recurrence_id"] for o in occurrences}) == 5


def test_rdate_adds_occurrences():
    starts = [o["start"] for o in by_start(parse("rdate.ics"))]
    assert starts == [
        datetime(2027, 3, 1, 19, tzinfo=UTC),
        datetime(2027, 3, 15, 19, tzinfo=UTC),
        datetime(2027, 3, 29, 18, tzinfo=UTC),  # summer time from 28 March
    ]


def test_all_day_and_multi_day():
    day, festival, chantier = by_start(parse("allday_multiday.ics"))
    assert day["all_day"] and day["start"] == datetime(2027, 5, 21, 22, tzinfo=UTC)
    assert day["end"] == datetime(2027, 5, 22, 22, tzinfo=UTC)
    assert festival["all_day"] and (festival["end"] - festival["start"]).days == 3
    assert not chantier["all_day"] and (chantier["end"] - chantier["start"]).days == 2


def test_dst_change_in_october():
    first, second = by_start(parse("dst_change.ics"))
    assert first["start"] == datetime(2027, 10, 24, 8, tzinfo=UTC)
    assert second["start"] == datetime(2027, 10, 31, 9, tzinfo=UTC)


def test_cancelled_instance_and_cancelled_event_are_kept():
    parsed = parse("cancelled_instance.ics")
    statuses = [(o["uid"].split("@")[0], o["status"]) for o in by_start(parsed)]
    assert statuses == [
        ("atelier-compost", "confirmed"),
        ("atelier-compost", "cancelled"),
        ("atelier-compost", "confirmed"),
        ("fete-quartier", "cancelled"),
    ]
    assert parsed.cancelled_components == 2
    assert parsed.occurrence_count == 4


def test_missing_dtend_uses_duration_or_rfc_defaults():
    duration, no_end, day = by_start(parse("missing_dtend.ics"))
    assert duration["end"] - duration["start"] == (datetime(2027, 1, 1, 3) - datetime(2027, 1, 1))
    assert no_end["end"] == no_end["start"]
    assert day["all_day"] and (day["end"] - day["start"]).days == 1


def test_bom_and_folded_lines():
    (occurrence,) = parse("bom_folded.ics").occurrences
    assert occurrence["title"].endswith("monnaies locales et l’économie circulaire")
    assert occurrence["location"] == "Cinéma Le Méliès, 42000 Saint-Étienne"
    assert "associations du territoire" in occurrence["description"]


def test_one_broken_vevent_is_skipped_with_its_uid_and_position():
    parsed = parse("one_broken_vevent.ics")
    assert [o["uid"] for o in by_start(parsed)] == ["bon-1@exemple.org", "bon-2@exemple.org"]
    assert len(parsed.errors) == 1
    position, uid, message = parsed.errors[0]
    assert (position, uid) == (2, "casse@exemple.org")
    assert "DTSTART" in message


def test_vtodo_and_vjournal_are_ignored():
    uids = {o["uid"] for o in parse("one_broken_vevent.ics").occurrences}
    assert "tache@exemple.org" not in uids and "journal@exemple.org" not in uids


def test_non_ics_body_is_refused_with_one_line():
    with pytest.raises(FeedUnparseable) as error:
        parse("not_ics.html")
    assert "\n" not in str(error.value)


def test_window_limits_expansion():
    parsed = parse_feed(ics("weekly_exdate_moved.ics"), window_start=WINDOW["window_start"], window_end=datetime(2027, 1, 20).date())
    assert parsed.occurrence_count == 2


def test_event_without_uid_gets_a_stable_identifier():
    body = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nDTSTART:20270301T100000Z\r\n"
        "SUMMARY:Sans UID\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    first = parse_feed(body, **WINDOW).occurrences[0]["uid"]
    assert first.startswith("sans-uid-") and first == parse_feed(body, **WINDOW).occurrences[0]["uid"]
