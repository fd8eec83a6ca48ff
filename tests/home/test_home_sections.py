"""The home page gathers the latest items of every app; its cost must not grow with their number."""

from datetime import timedelta
from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail import hooks

import pytest

from core import extensions
from home.selectors import home_sections
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


def _registered_in(function, module: str):
    function.__module__ = module
    return function


def test_a_section_that_fails_reaches_the_page_instead_of_being_dropped(client, home_page):
    def broken_section(*, request):
        raise ModuleNotFoundError("No module named 'agenda.gone'")

    broken = _registered_in(broken_section, "agenda.wagtail_hooks")
    with hooks.register_temporarily(extensions.HOME_SECTION, broken), pytest.raises(ModuleNotFoundError):
        client.get("/")


def test_sections_follow_their_registered_order(client, home_page):
    def first(*, request):
        return {"title": "Première section", "items": [{"title": "Un", "url": "/un/", "meta": ""}]}

    def empty(*, request):
        return {"title": "Section vide", "items": []}

    with hooks.register_temporarily(
        [
            (extensions.HOME_SECTION, _registered_in(first, "kits.wagtail_hooks")),
            (extensions.HOME_SECTION, _registered_in(empty, "kits.wagtail_hooks")),
        ],
        order=-1,
    ):
        titles = [section["title"] for section in home_sections(request=None)]
    assert titles[0] == "Première section"
    assert "Section vide" not in titles


def test_load_demo_refuses_an_app_that_registered_no_demo():
    with pytest.raises(CommandError, match="kernel"):
        call_command("load_demo", only=["kernel"], stdout=StringIO())
