"""Counts kept instead of recounted per request: the home page's key figures and the sources' element
counts come from the cache, and a feed check (or a save of what they count) refreshes them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from sources.services.checks import check_source
from tests.factories import ensure_home_page
from tests.sources.conftest import gogocarto_export, record
from tests.sources.factories import SourceFactory


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, [query["sql"] for query in captured.captured_queries]


def _counts(queries):
    """The `.count()`s (a section's annotated list, e.g. seats left per session, is not one)."""
    return [sql for sql in queries if 'COUNT(*) AS "__count"' in sql]


FEED_ELEMENTS = "alternatives dans les flux des sources"


def _figures(client):
    return {figure["label"]: figure["value"] for figure in client.get("/").context["key_figures"]}


def _element_group_by(queries):
    return [sql for sql in queries if "sources_sourceelement" in sql and "GROUP BY" in sql.upper()]


@pytest.mark.django_db
def test_the_home_page_counts_once_then_reads_its_key_figures_from_the_cache(client):
    ensure_home_page()
    _response, first = _queries(client, "/")
    assert len(_counts(first)) >= 5  # the apps' key figures, computed

    _response, second = _queries(client, "/")

    assert _counts(second) == []


@pytest.mark.django_db
def test_a_feed_check_refreshes_the_counts_of_the_home_page_and_the_sources_index(
    client, feed_source, serve_feed
):
    ensure_home_page()
    source = feed_source(gogocarto_export([record("a"), record("b", name="Le Panier")]))
    check_source(source=source)
    _response, queries = _queries(client, "/sources/")
    assert len(_element_group_by(queries)) == 1
    _response, queries = _queries(client, "/sources/")
    assert _element_group_by(queries) == []
    assert _figures(client)[FEED_ELEMENTS] == 2

    serve_feed(gogocarto_export([record("a"), record("b", name="Le Panier"), record("c", name="La Ruche")]))
    check_source(source=source)

    response, queries = _queries(client, "/sources/")
    assert len(_element_group_by(queries)) == 1  # counted again, once
    assert response.context["sources"][0].feed_count == 3
    assert _figures(client)[FEED_ELEMENTS] == 3


@pytest.mark.django_db
def test_saving_what_a_figure_counts_refreshes_it(client):
    ensure_home_page()
    before = _figures(client)["sources de données"]

    SourceFactory()

    assert _figures(client)["sources de données"] == before + 1


@pytest.mark.django_db
def test_the_sources_index_shows_one_page_of_sources(client):
    from sources.selectors import SOURCES_PER_PAGE

    SourceFactory.create_batch(SOURCES_PER_PAGE + 1, is_active=True)

    first = client.get("/sources/")
    second = client.get("/sources/", {"page": 2})

    assert len(first.context["sources"]) == SOURCES_PER_PAGE
    assert 'rel="next"' in first.content.decode()
    assert len(second.context["sources"]) == 1
