"""The schedule's task: due checks with bounded concurrency; map counts; selectors other apps use."""

from datetime import timedelta

from django.utils import timezone

import pytest

from sources import selectors, tasks
from sources.models import ImportRun, Source
from sources.services import runs
from tests.sources.conftest import gogocarto_export, record
from tests.sources.factories import SourceElementFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_due_checks_run_with_bounded_concurrency(serve_feed, settings):
    settings.SOURCES_MAX_CONCURRENT_CHECKS = 2
    url = serve_feed(gogocarto_export([record("1")]))
    due = [SourceFactory(feed_url=url) for _n in range(3)]
    SourceFactory(feed_url=url, next_check_at=timezone.now() + timedelta(hours=3))  # not due
    SourceFactory(feed_url=url, is_active=False)  # inactive
    busy = SourceFactory(feed_url=url)
    runs.start_run(source=busy, kind="map_feed", trigger="schedule", feed_url=url)  # one check running

    queued = tasks.check_due_sources()

    assert len(queued) == 1  # 2 slots minus the one running
    assert ImportRun.objects.filter(state="completed").count() == 1
    checked = Source.objects.get(pk=queued[0])
    assert checked in due
    assert checked.next_check_at > timezone.now() + timedelta(hours=23)


def test_map_counts_per_source_key(httpserver, settings):
    settings.GOGOCARTO_MAP_URL = httpserver.url_for("/")
    httpserver.expect_request("/api/elements.json").respond_with_json(
        {
            "licence": "x",
            "ontology": "gogofull",
            "data": [
                {"id": "a", "sourceKey": "Colibris"},
                {"id": "b", "sourceKey": "Colibris"},
                {"id": "c", "sourceKey": "Autre"},
            ],
        }
    )
    colibris = SourceFactory(source_key="Colibris")
    absent = SourceFactory(source_key="Absente")
    assert tasks.refresh_map_counts() == {colibris.slug: 2, absent.slug: 0}
    colibris.refresh_from_db()
    assert colibris.map_elements_count == 2 and colibris.map_counted_at is not None


def test_selectors_for_other_apps(user):
    source = SourceFactory(maintainers=[user])
    other = SourceFactory()
    long_ago = timezone.now() - timedelta(days=30)
    SourceElementFactory(source=source, departement="30")
    SourceElementFactory(source=source, departement="34")
    SourceElementFactory(source=other, departement="30", first_seen_at=long_ago)
    SourceElementFactory(source=other, departement="30", removed_at=timezone.now())

    assert selectors.active_element_counts() == {source.pk: 2, other.pk: 1}
    since = timezone.now() - timedelta(days=1)
    assert selectors.new_elements(since=since).count() == 2
    assert list(
        selectors.new_elements(since=since, departements={"30"}).values_list("departement", flat=True)
    ) == ["30"]
    assert selectors.personal_data(user=user)["maintained_sources"] == [source.slug]
    assert {figure["value"] for figure in selectors.key_figures()} == {2, 3}
