"""Fixtures shared by every app's tests. App-specific fixtures live in tests/<app>/conftest.py.

The home page, the default site and the role groups come from data migrations: a transactional test
(`django_db(transaction=True)`) must also say `serialized_rollback=True`, or the tests that run after it
in the same process find an empty database."""

from django.core.cache import cache

import pytest


@pytest.fixture(autouse=True)
def _isolated_cache_and_media(settings, tmp_path):
    """Each test starts with an empty cache (rate limits) and its own media folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db):
    from tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def staff_user(db):
    from tests.factories import UserFactory

    return UserFactory(staff=True)
