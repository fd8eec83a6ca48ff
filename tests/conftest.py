"""Fixtures shared by every app's tests. App-specific fixtures live in tests/<app>/conftest.py.

The home page, the default site and the role groups come from data migrations: a transactional test
(`django_db(transaction=True)`) must also say `serialized_rollback=True`, or the tests that run after it
in the same process find an empty database."""

from django.core.cache import cache
from django.utils import translation

import pytest


@pytest.fixture(autouse=True)
def _isolated_cache_and_media(settings, tmp_path):
    """Each test starts with an empty cache (rate limits) and its own media folders (public, private)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path / "private-media")}},
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _french_by_default(settings):
    """The test client leaves the last request's language active in the test's thread, and reverse()
    prefixes URLs with it: every test starts in French, the default language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _migrated_data(request):
    """Tests that use the database find what the data migrations created, even after a transactional
    test (live server, transaction=True) flushed it."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if uses_db:
        request.getfixturevalue("_django_db_helper")
        from tests.factories import ensure_migrated_data

        ensure_migrated_data()


@pytest.fixture
def user(db):
    from tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def staff_user(db):
    from tests.factories import UserFactory

    return UserFactory(staff=True)


@pytest.fixture
def callbacks_run_at_commit(db):
    """Inside a test's transaction nothing ever commits, so `transaction.on_commit` callbacks would never
    run. With this fixture they run when the outermost atomic block opened by the code under test exits
    without error, which is when production commits; a block that fails drops its callbacks, as
    production does. (Django's `captureOnCommitCallbacks` only runs them at the end of a `with`.)"""
    from django.db import connections, transaction
    from django.db.transaction import Atomic

    base_depth = {alias: len(connections[alias].atomic_blocks) for alias in connections}
    original_exit = Atomic.__exit__

    def exit_then_run(self, exc_type, exc_value, traceback):
        result = original_exit(self, exc_type, exc_value, traceback)
        connection = transaction.get_connection(self.using)
        if exc_type is None and len(connection.atomic_blocks) == base_depth.get(self.using or "default", 0):
            while connection.run_on_commit:
                _sids, callback, _robust = connection.run_on_commit.pop(0)
                callback()
        return result

    Atomic.__exit__ = exit_then_run
    try:
        yield
    finally:
        Atomic.__exit__ = original_exit
