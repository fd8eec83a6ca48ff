from wagtail.models import Locale

import pytest

from tests.factories import ensure_home_page


@pytest.fixture
def home_page(db):
    return ensure_home_page()


@pytest.fixture
def english(db):
    return Locale.objects.get_or_create(language_code="en")[0]


def publish(page):
    page.save_revision().publish()
    return page
