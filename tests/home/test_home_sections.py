"""The home page gathers the latest items of every app; its cost must not grow with their number."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from kits.models import KitIndexPage
from tests.agenda.factories import EventFactory
from tests.community.factories import make_topic
from tests.kits.factories import TrainingSessionFactory, add_kit
from tests.sources.factories import SourceElementFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _home_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _fill_every_app(home_page, *, times: int):
    kits = KitIndexPage(title="Kits", slug=f"kits-{times}")
    home_page.add_child(instance=kits)
    kit = add_kit(kits, title=f"Kit {times}", slug=f"kit-{times}")
    for n in range(times):
        source = SourceFactory()
        SourceElementFactory.create_batch(3, source=source)
        EventFactory(title=f"Fête des alternatives {times}-{n}")
        make_topic(title=f"Question {times}-{n}")
        TrainingSessionFactory(kit=kit, start=timezone.now() + timedelta(days=2 + n))


def test_home_page_queries_do_not_grow_with_the_items_of_the_other_apps(client, home_page):
    _fill_every_app(home_page, times=1)
    few, _ = _home_queries(client)

    _fill_every_app(home_page, times=15)
    many, html = _home_queries(client)

    assert "Fête des alternatives" in html and "Question 15-" in html  # the sections are really shown
    assert many <= few, f"{few} queries with one item per app, {many} with fifteen"
    # Fixed costs: site and page lookup, the key figures (one COUNT each) and one query per section.
    assert many <= 40
