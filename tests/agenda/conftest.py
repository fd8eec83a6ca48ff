"""Fixtures of the agenda's tests: the hand-written ICS files and a window that contains them."""

from datetime import date
from pathlib import Path

import pytest

ICS_DIR = Path(__file__).parent / "ics"
WINDOW = {"window_start": date(2027, 1, 1), "window_end": date(2028, 1, 1)}


def ics(name: str) -> bytes:
    return (ICS_DIR / name).read_bytes()


@pytest.fixture
def window():
    return dict(WINDOW)


@pytest.fixture
def source(db):
    from tests.agenda.factories import SourceFactory

    return SourceFactory(slug="alternatiba-nimes", name="Alternatiba Nîmes", territory="30")


@pytest.fixture
def serve_ics(httpserver):
    """Serve a fixture file at /<name> and return its URL."""

    def serve(name: str, **headers) -> str:
        httpserver.expect_request(f"/{name}").respond_with_data(
            ics(name), content_type="text/calendar; charset=utf-8", headers=headers
        )
        return httpserver.url_for(f"/{name}")

    return serve
