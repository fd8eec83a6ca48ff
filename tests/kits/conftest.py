from wagtail.models import Page

import pytest

from kits.models import FaqIndexPage, KitIndexPage
from tests.kits.factories import add_kit


@pytest.fixture
def home_page(db):
    return Page.objects.get(depth=2).specific


@pytest.fixture
def kit_index(home_page):
    index = KitIndexPage(title="Kits et formations", slug="kits-et-formations")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def faq_page(home_page):
    page = FaqIndexPage(title="Questions fréquentes", slug="faq")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def kit(kit_index):
    return add_kit(
        kit_index,
        title="Organiser une cartopartie",
        body=[
            ("text", {"title": "Choisir un lieu", "text": "<p>Un lieu accessible.</p>"}),
            ("checklist", {"title": "Préparer", "items": ["Fiches", "Téléphones chargés"]}),
        ],
    )


@pytest.fixture
def session(kit):
    from tests.kits.factories import TrainingSessionFactory

    return TrainingSessionFactory(kit=kit)
