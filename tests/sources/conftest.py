"""Fixtures for the sources tests: a feed served by a real local HTTP server (pytest-httpserver)."""

import json

import pytest

from tests.sources.factories import SourceFactory


def record(element_id, name="La Cagette", lat=43.6108, lng=3.8767, categories=("Alimentation",), **extra):
    """One GoGoCarto-like element."""
    data = {
        "id": element_id,
        "name": name,
        "geo": {"latitude": lat, "longitude": lng},
        "categories": list(categories),
    }
    data.update(extra)
    return data


def gogocarto_export(records):
    return json.dumps(
        {
            "licence": "https://opendatacommons.org/licenses/odbl/summary/",
            "ontology": "gogofull",
            "data": records,
        }
    )


@pytest.fixture
def serve_feed(httpserver):
    """serve_feed(body, content_type=...) -> URL of a feed served once per request, replaceable."""

    def serve(body, *, content_type="application/json", path="/flux.json", status=200, headers=None):
        httpserver.clear()
        httpserver.expect_request(path).respond_with_data(
            body, status=status, content_type=content_type, headers=headers or {}
        )
        return httpserver.url_for(path)

    return serve


@pytest.fixture
def feed_source(db, serve_feed):
    """A source whose feed URL points at the local server."""

    def make(body, **kwargs):
        url = serve_feed(
            body, **{key: kwargs.pop(key) for key in ("content_type", "headers", "status") if key in kwargs}
        )
        return SourceFactory(feed_url=url, **kwargs)

    return make
