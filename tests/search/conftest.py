"""The sources tests' local feed server, reused to index alternatives through the real feed check."""

import pytest

from sources.services.checks import check_source
from tests.sources.conftest import feed_source, gogocarto_export, record, serve_feed  # noqa: F401


@pytest.fixture
def checked(feed_source, serve_feed):  # noqa: F811  (the imported fixtures)
    """check(records) runs a real feed check of one source on a local HTTP server."""
    state = {}

    def check(records):
        if "source" not in state:
            state["source"] = feed_source(gogocarto_export(records))
        else:
            serve_feed(gogocarto_export(records))
        return check_source(source=state["source"])

    return check


def address(street, postcode, town):
    return {"streetAddress": street, "postalCode": postcode, "addressLocality": town}


@pytest.fixture
def alternatives(checked):
    checked(
        [
            record(
                "1",
                "Vélorution Nîmes",
                lat=43.8367,
                lng=4.3601,
                categories=["Mobilité"],
                address=address("3 rue Nationale", "30000", "Nîmes"),
            ),
            record(
                "2",
                "Atelier de réparation de vélos",
                lat=43.61,
                lng=3.87,
                categories=["Réparation"],
                address=address("12 place Carnot", "34000", "Montpellier"),
            ),
            record(
                "3",
                "La Cagette",
                lat=48.85,
                lng=2.35,
                categories=["Alimentation"],
                address=address("5 rue des Écoles", "75005", "Paris"),
            ),
        ]
    )
