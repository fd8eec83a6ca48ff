from wagtail.models import Locale

import pytest

from home.models import HomePage


@pytest.fixture
def home_page(db):
    return HomePage.objects.get(locale__language_code="fr")


@pytest.fixture
def english(db):
    return Locale.objects.get_or_create(language_code="en")[0]


def publish(page):
    page.save_revision().publish()
    return page
