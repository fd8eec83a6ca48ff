"""Feed checks against a real local HTTP server: formats, every counter, HTTP behaviour, snapshots."""

import gc
import json
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
from werkzeug import Response

from core import http
from sources.models import ImportRun, RunError, SourceElement
from sources.services import checks, feeds
from sources.services.checks import check_content, check_source
from tests.sources.conftest import gogocarto_export, record
from tests.sources.factories import SourceElementFactory, SourceFactory

pytestmark = pytest.mark.django_db


def messy_records():
    return [
        record("a1", "La Cagette"),  # clean
        record("a2", "Le Repair Café", lat=None, lng=None),  # missing geo
        record("a3", "Jardin partagé", lat=95, lng=3.1),  # latitude out of range
        record("a4", "Amap du Lez", lat="nord", lng=3.1),  # not numeric
        record("a5", "Recyclerie", lng=181),  # longitude out of range
        record("a6", "Épicerie solidaire", categories=()),  # no category
        "pas un objet",  # error: not an object
        {"name": "Sans identifiant"},  # error: no id
        record("a1", "La Cagette bis"),  # error: id already seen
        record("a8", ""),  # error: no name
        record("a9", "Monnaie locale", lat="43,61", lng="3,87"),  # French decimal comma: valid
    ]


def test_every_record_counter_and_error_messages(feed_source):
    source = feed_source(gogocarto_export(messy_records()))
    run = check_source(source=source)

    counters = run.counters
    assert counters["elementsCount"] == 11
    assert counters["elementsErrorsCount"] == 4
    assert counters["elementsMissingGeoCount"] == 4
    assert counters["elementsMissingTaxoCount"] == 1
    assert counters["elementsCreatedCount"] == 7
    assert counters["elementsUpdatedCount"] == 0
    assert counters["elementsNothingToDoCount"] == 0
    assert counters["elementsDeletedCount"] == 0
    assert counters["errorMessages"] == {
        feeds.NOT_A_RECORD: 1,
        feeds.MISSING_ID: 1,
        feeds.DUPLICATE_ID: 1,
        feeds.MISSING_NAME: 1,
    }
    assert run.state == ImportRun.State.ERRORS
    assert run.level == ImportRun.Level.ERROR  # 4 errors > 11 / 4
    errors = list(RunError.objects.filter(run=run).values_list("position", "element_id", "message"))
    assert errors == [
        (7, "", feeds.NOT_A_RECORD),
        (8, "", feeds.MISSING_ID),
        (9, "a1", feeds.DUPLICATE_ID),
        (10, "a8", feeds.MISSING_NAME),
    ]
    assert SourceElement.objects.filter(source=source).count() == 7
    a9 = SourceElement.objects.get(source=source, element_id="a9")
    assert (a9.latitude, a9.longitude) == (43.61, 3.87)


def test_created_updated_nothing_to_do_and_deleted_against_previous_snapshot(feed_source, serve_feed):
    source = feed_source(gogocarto_export([record("1", "Un"), record("2", "Deux"), record("3", "Trois")]))
    first = check_source(source=source)
    assert first.state == ImportRun.State.COMPLETED and first.level == ImportRun.Level.SUCCESS
    assert first.counters["elementsCreatedCount"] == 3

    serve_feed(gogocarto_export([record("1", "Un"), record("2", "Deux modifié"), record("4", "Quatre")]))
    second = check_source(source=source)
    assert second.counters["elementsCreatedCount"] == 1
    assert second.counters["elementsUpdatedCount"] == 1
    assert second.counters["elementsNothingToDoCount"] == 1
    assert second.counters["elementsDeletedCount"] == 1
    assert second.changes["created"] == ["4"] and second.changes["updated"] == ["2"]
    assert second.changes["deleted"] == ["3"]
    assert SourceElement.objects.get(source=source, element_id="3").removed_at is not None
    assert SourceElement.objects.get(source=source, element_id="2").name == "Deux modifié"

    # An element that comes back is created again, on the same row.
    serve_feed(
        gogocarto_export(
            [record("1", "Un"), record("2", "Deux modifié"), record("3", "Trois"), record("4", "Quatre")]
        )
    )
    third = check_source(source=source)
    assert third.counters["elementsCreatedCount"] == 1
    assert third.counters["elementsNothingToDoCount"] == 3
    assert SourceElement.objects.filter(source=source).count() == 4
    assert SourceElement.objects.get(source=source, element_id="3").removed_at is None


def test_potential_duplicates_in_the_feed_and_against_other_sources(feed_source):
    other = SourceFactory()
    SourceElementFactory(
        source=other, element_id="x1", name="Le Repair Café", latitude=43.6000, longitude=3.9000
    )
    records = [
        record("1", "La Cagette", lat=43.6108, lng=3.8767),
        record("2", "La cagette", lat=43.6110, lng=3.8770),  # ~35 m away, same slug: pair
        record("3", "La Cagette", lat=43.7000, lng=3.8767),  # 10 km away: not a pair
        record("4", "Le Repair Café", lat=43.6005, lng=3.9004),  # ~60 m from the other source's: pair
        record("5", "Ressourcerie A", email="contact@ressourcerie.org"),
        record(
            "6", "Ressourcerie B", lat=45.0, lng=5.0, email="Contact@Ressourcerie.org"
        ),  # same e-mail: pair
        record("7", "Atelier vélo", website="https://www.atelier-velo.org/"),
        record("8", "Vélo atelier", lat=44.0, lng=4.0, website="http://atelier-velo.org"),  # same site: pair
    ]
    run = check_source(source=feed_source(gogocarto_export(records)))
    assert run.counters["potentialDuplicatesCount"] == 4
    reasons = sorted(pair[3] for pair in run.changes["duplicates"])
    assert reasons == ["email", "name", "name", "website"]


@pytest.mark.parametrize(
    ("body", "content_type", "declared", "expected_format"),
    [
        (gogocarto_export([record("1"), record("2", "B")]), "application/json", "auto", "gogocarto"),
        (json.dumps([record("1"), record("2", "B")]), "application/json", "auto", "json"),
        (json.dumps({"data": [record("1"), record("2", "B")]}), "application/json", "json", "json"),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "id": "1",
                            "geometry": {"type": "Point", "coordinates": [3.8767, 43.6108]},
                            "properties": {"nom": "La Cagette", "tags": "Alimentation;Coopérative"},
                        },
                        {
                            "type": "Feature",
                            "geometry": {"type": "Point", "coordinates": [3.9, 43.6]},
                            "properties": {"id": "2", "nom": "B", "tags": "Vélo"},
                        },
                    ],
                }
            ),
            "application/geo+json",
            "auto",
            "geojson",
        ),
        (
            "\ufeffidentifiant;nom;lat;lng;categorie;code_postal\n"
            "1;La Cagette;43.6108;3.8767;Alimentation;34000\n"
            "2;B;43,6;3,9;Vélo;30000\n",
            "text/csv",
            "auto",
            "csv",
        ),
    ],
    ids=["gogocarto", "json-array", "json-data", "geojson", "csv"],
)
def test_each_format_is_read(feed_source, body, content_type, declared, expected_format):
    source = feed_source(body, content_type=content_type, feed_format=declared)
    run = check_source(source=source)
    assert run.state == ImportRun.State.COMPLETED, run.reason
    assert run.changes["format"] == expected_format
    assert run.counters["elementsCount"] == 2
    assert run.counters["elementsMissingGeoCount"] == 0
    assert run.counters["elementsMissingTaxoCount"] == 0
    first = SourceElement.objects.get(source=source, element_id="1")
    assert first.name == "La Cagette"
    assert round(first.latitude, 4) == 43.6108 and round(first.longitude, 4) == 3.8767


def test_csv_postcode_gives_the_departement_and_bad_rows_are_errors(feed_source):
    body = (
        "id,name,latitude,longitude,tags,code_postal\n"
        "1,La Cagette,43.6,3.8,Alimentation,34000\n"
        "2,Trop,de,colonnes,ici,x,y\n"
    )
    run = check_source(source=feed_source(body, content_type="text/csv"))
    assert run.counters["elementsCount"] == 2
    assert run.counters["errorMessages"] == {feeds.MALFORMED_ROW: 1}
    assert SourceElement.objects.get(element_id="1").departement == "34"


def test_field_mapping_override(feed_source):
    body = json.dumps(
        [{"code": "Z1", "intitule": "La Cagette", "y": 43.6, "x": 3.8, "famille": "Alimentation"}]
    )
    source = feed_source(
        body,
        field_mapping={
            "id": "code",
            "name": "intitule",
            "latitude": "y",
            "longitude": "x",
            "categories": "famille",
        },
    )
    run = check_source(source=source)
    assert run.state == ImportRun.State.COMPLETED, run.counters
    assert run.counters["elementsMissingGeoCount"] == 0


def test_conditional_get_records_unchanged(httpserver, feed_source):
    body = gogocarto_export([record("1"), record("2", "B")])
    source = feed_source(body, headers={"ETag": '"v1"', "Last-Modified": "Mon, 23 Nov 2026 10:00:00 GMT"})
    first = check_source(source=source)
    assert first.etag == '"v1"'

    httpserver.clear()
    httpserver.expect_request("/flux.json", headers={"If-None-Match": '"v1"'}).respond_with_data(
        "", status=304
    )
    second = check_source(source=source)
    assert second.not_modified is True
    assert second.http_status == 304
    assert second.state == ImportRun.State.COMPLETED
    assert second.counters["elementsCount"] == 2
    assert second.counters["elementsNothingToDoCount"] == 2
    assert second.counters["elementsCreatedCount"] == 0
    assert second.errors.count() == 0 == first.errors.count()
    assert httpserver.log[-1][0].headers["If-Modified-Since"] == "Mon, 23 Nov 2026 10:00:00 GMT"
    assert httpserver.log[-1][0].headers["User-Agent"].startswith("TransiscopePortal")


def test_timeout_fails_with_a_reason_and_retries_sooner(httpserver, settings):
    settings.PORTAL_HTTP_TIMEOUT = 0.3

    def slow(request):
        time.sleep(1.2)
        return Response("[]", content_type="application/json")

    httpserver.expect_request("/lent.json").respond_with_handler(slow)
    source = SourceFactory(feed_url=httpserver.url_for("/lent.json"), check_every_hours=24)
    before = timezone.now()
    run = check_source(source=source)
    assert run.state == ImportRun.State.FAILED
    assert run.level == ImportRun.Level.ERROR
    assert run.reason.startswith("Délai dépassé")
    source.refresh_from_db()
    assert source.network_failures == 1
    assert before < source.next_check_at < before + timezone.timedelta(minutes=16)  # backoff, not 24 h


def test_oversized_feed_with_or_without_content_length(httpserver, settings):
    settings.SOURCES_FEED_MAX_BYTES = 1000
    big = gogocarto_export([record(str(n)) for n in range(100)])
    httpserver.expect_request("/gros.json").respond_with_data(big, content_type="application/json")
    httpserver.expect_request("/flot.json").respond_with_handler(
        lambda request: Response(
            (big[i : i + 100] for i in range(0, len(big), 100)), content_type="application/json"
        )
    )
    for path in ("/gros.json", "/flot.json"):
        run = check_source(source=SourceFactory(feed_url=httpserver.url_for(path)))
        assert run.state == ImportRun.State.FAILED
        assert run.reason.startswith("Flux trop volumineux"), run.reason


def test_invalid_json_and_http_errors_fail_with_one_line(feed_source, serve_feed):
    run = check_source(source=feed_source('{"data": [{"id": 1,,}]}'))
    assert run.state == ImportRun.State.FAILED
    assert run.reason.startswith("JSON invalide") and "\n" not in run.reason
    source = SourceFactory(feed_url=serve_feed("oups", status=500))
    run = check_source(source=source)
    # The reason is the generic one anyone may read; the detail says which error, for the maintainers.
    assert (run.state, run.http_status, run.reason, run.detail) == (
        ImportRun.State.FAILED,
        500,
        http.HTTP_ERROR,
        "HTTP 500 INTERNAL SERVER ERROR",
    )


def test_failed_run_keeps_the_previous_snapshot(feed_source, serve_feed):
    source = feed_source(gogocarto_export([record("1", "Un"), record("2", "Deux")]))
    assert check_source(source=source).state == ImportRun.State.COMPLETED
    serve_feed("<html>maintenance</html>", content_type="text/html")
    failed = check_source(source=source)
    assert failed.state == ImportRun.State.FAILED
    serve_feed(gogocarto_export([{"name": "sans id"}, {"name": "toujours sans id"}]))
    all_errors = check_source(source=source)
    assert all_errors.state == ImportRun.State.FAILED  # every record erred
    assert all_errors.counters["elementsErrorsCount"] == 2
    serve_feed(gogocarto_export([]))
    assert check_source(source=source).reason == "Le flux ne contient aucun élément"
    active = SourceElement.objects.filter(source=source, removed_at__isnull=True)
    assert sorted(active.values_list("name", flat=True)) == ["Deux", "Un"]
    # The next good run compares with the last good snapshot, not with the failed ones.
    serve_feed(gogocarto_export([record("1", "Un"), record("2", "Deux")]))
    assert check_source(source=source).counters["elementsNothingToDoCount"] == 2


def test_unreachable_server_is_a_network_failure():
    run = check_source(source=SourceFactory(feed_url="http://127.0.0.1:9/flux.json"))
    assert run.state == ImportRun.State.FAILED
    assert run.reason.startswith("Connexion impossible")


def test_unchanged_feed_keeps_the_error_list_of_its_content(httpserver, feed_source):
    source = feed_source(gogocarto_export([record("1"), {"name": "sans id"}]), headers={"ETag": '"v1"'})
    first = check_source(source=source)
    httpserver.clear()
    httpserver.expect_request("/flux.json").respond_with_data("", status=304)
    second = check_source(source=source)
    assert second.not_modified and second.state == ImportRun.State.ERRORS
    assert list(second.errors.values_list("position", "message")) == [(2, feeds.MISSING_ID)]
    assert first.errors.count() == 1


def feed_versions():
    """Three versions of one feed: created, then updated / deleted / new, then deleted ids coming back."""
    first = [record(f"e{n}", f"Alternative {n}", lat=43.0 + n / 100, lng=3.0) for n in range(9)]
    first += [{"name": "sans identifiant"}, record("e1", "Doublon d'identifiant"), record("e98", "")]
    first.append(record("e99", "Alternative 1", lat=43.0101, lng=3.0))  # near e1, same name: a pair
    second = [
        r if r.get("id") not in ("e2", "e5", "e6") else {**r, "name": r["name"] + " (modifiée)"}
        for r in first
    ]
    second = [r for r in second if r.get("id") not in ("e3", "e4")]
    second += [record(f"n{n}", f"Nouvelle {n}", lat=44.0 + n / 100, lng=4.0) for n in range(3)]
    third = second + [
        record("e3", "Alternative 3 revenue"),
        record("e4", "Alternative 4", lat=43.04, lng=3.0),
    ]
    return [gogocarto_export(version).encode() for version in (first, second, third)]


def snapshot_of(source):
    fields = ("element_id", "name", "latitude", "longitude", "categories", "content_hash", "removed_at")
    return sorted(
        (*values[:-1], values[-1] is None)
        for values in SourceElement.objects.filter(source=source).values_list(*fields)
    )


def checked_history(source, versions):
    history = []
    for content in versions:
        run = check_content(source=source, content=content)
        errors = list(run.errors.values_list("position", "element_id", "stage", "message"))
        # A pair is [own id, other id, other's source pk, reason]: the pk differs between the two sources.
        assert all(pair[2] == source.pk for pair in run.changes["duplicates"])
        run.changes["duplicates"] = [[a, b, reason] for a, b, _source, reason in run.changes["duplicates"]]
        history.append((run.state, run.level, run.counters, run.changes, errors, snapshot_of(source)))
    return history


def test_a_feed_larger_than_one_batch_gives_what_one_batch_gives(monkeypatch):
    versions = feed_versions()
    one_go = SourceFactory()
    expected = checked_history(one_go, versions)
    one_go.is_active = False  # its elements must not be the other source's potential duplicates
    one_go.save()

    monkeypatch.setattr(checks, "BATCH_SIZE", 2)
    batched = SourceFactory()
    assert checked_history(batched, versions) == expected

    counters = [history[2] for history in expected]
    assert [c["elementsCreatedCount"] for c in counters] == [10, 3, 2]  # e3 and e4 revived on their rows
    assert [c["elementsUpdatedCount"] for c in counters] == [0, 3, 0]
    assert [c["elementsDeletedCount"] for c in counters] == [0, 2, 0]
    assert [c["elementsNothingToDoCount"] for c in counters] == [0, 5, 11]
    assert [c["elementsErrorsCount"] for c in counters] == [3, 3, 3]
    assert [c["potentialDuplicatesCount"] for c in counters] == [1, 1, 1]
    assert SourceElement.objects.filter(source=batched).count() == 13
    assert expected[2][3]["created"] == ["e3", "e4"] and expected[1][3]["deleted"] == ["e3", "e4"]


def test_queries_do_not_grow_with_the_number_of_records(django_assert_max_num_queries):
    def versions(count):
        first = [record(f"e{n}", f"Alternative {n}") for n in range(count)]
        second = [record(f"e{n}", f"Alternative {n} modifiée") for n in range(count // 2)]
        second += [record(f"n{n}", f"Nouvelle {n}") for n in range(count)]
        return gogocarto_export(first).encode(), gogocarto_export(second).encode()

    small, large = SourceFactory(), SourceFactory()
    small_first, small_second = versions(10)
    large_first, large_second = versions(600)
    with CaptureQueriesContext(connection) as small_queries:
        check_content(source=small, content=small_first)
        check_content(source=small, content=small_second)
    with CaptureQueriesContext(connection) as large_queries:
        check_content(source=large, content=large_first)
        run = check_content(source=large, content=large_second)
    assert run.counters["elementsUpdatedCount"] == 300 and run.counters["elementsDeletedCount"] == 300
    assert len(large_queries) == len(small_queries)


def test_unchanged_feed_copies_an_error_list_longer_than_one_batch(httpserver, feed_source, monkeypatch):
    monkeypatch.setattr(checks, "BATCH_SIZE", 2)
    records = [record("1"), {"name": "a"}, {"name": "b"}, "c", {"name": "d"}, record("1", "Encore")]
    source = feed_source(gogocarto_export(records), headers={"ETag": '"v1"'})
    first = check_source(source=source)
    httpserver.clear()
    httpserver.expect_request("/flux.json").respond_with_data("", status=304)
    second = check_source(source=source)
    assert second.not_modified and second.counters["elementsErrorsCount"] == 5
    fields = ("position", "element_id", "stage", "message")
    assert list(second.errors.values_list(*fields)) == list(first.errors.values_list(*fields))
    assert second.errors.count() == 5


def test_the_cycle_collector_is_back_on_after_a_check_even_a_failed_one(feed_source, serve_feed):
    source = feed_source(gogocarto_export([record("1")]))
    assert check_source(source=source).state == ImportRun.State.COMPLETED
    assert gc.isenabled()
    serve_feed('{"data": [{"id": 1,,}]}')
    assert check_source(source=source).state == ImportRun.State.FAILED
    assert gc.isenabled()
    gc.disable()  # switched off by someone else: left off
    try:
        check_source(source=source)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_record_with_broken_unicode_is_one_record_error(feed_source):
    """JSON may escape half of a surrogate pair ("\\ud800"): no UTF-8 text can hold it, so the record is
    an error of its own, with its position and an id that can be stored, and the others go through."""
    broken_name, broken_id = record("b1", "Café \ud800 associatif"), record("b\udfff2", "Épicerie")
    source = feed_source(gogocarto_export([record("a1", "La Cagette"), broken_name, broken_id]))
    assert "\\ud800" in source_body(source)
    run = check_source(source=source)
    assert run.state == ImportRun.State.ERRORS, run.reason
    assert run.counters["elementsErrorsCount"] == 2
    assert run.counters["errorMessages"] == {feeds.BROKEN_TEXT: 2}
    errors = list(RunError.objects.filter(run=run).values_list("position", "element_id", "message"))
    assert errors == [(2, "b1", feeds.BROKEN_TEXT), (3, "b\ufffd2", feeds.BROKEN_TEXT)]
    assert list(SourceElement.objects.filter(source=source).values_list("element_id", flat=True)) == ["a1"]


def source_body(source):
    import requests

    return requests.get(source.feed_url, timeout=5).text


def test_an_unchanged_check_writes_no_element_row_and_a_removed_one_keeps_when_it_was_last_seen(
    feed_source, serve_feed
):
    """Issue 22 "Costs": every current row was updated (last_seen_at) at every check."""
    source = feed_source(gogocarto_export([record("1"), record("2", "B"), record("3", "C")]))
    first = check_source(source=source)
    with CaptureQueriesContext(connection) as queries:
        second = check_content(
            source=source,
            content=gogocarto_export([record("1"), record("2", "B"), record("3", "C")]).encode(),
        )
    assert second.counters["elementsNothingToDoCount"] == 3
    element_table = SourceElement._meta.db_table
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith(("UPDATE", "INSERT")) and element_table in q["sql"]
    ]
    assert writes == []

    serve_feed(gogocarto_export([record("1"), record("2", "B")]))
    check_source(source=source)
    gone = SourceElement.objects.get(source=source, element_id="3")
    assert gone.removed_at is not None
    assert gone.last_seen_at == second.started_at  # the last good check that saw it, not `first`
    assert first.started_at < gone.last_seen_at
