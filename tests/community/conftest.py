"""Fixtures for the community tests."""

from django.urls import NoReverseMatch, clear_url_caches, reverse
from django.utils import translation

import pytest

from tests.factories import UserFactory


def _needs_profile_stand_in() -> bool:
    try:
        reverse("accounts:profile")
    except NoReverseMatch:
        return True
    return False


@pytest.fixture(autouse=True)
def _french_first():
    """Each test starts in French (a request to /en/ leaves English active in the test thread)."""
    translation.activate("fr")
    yield
    translation.activate("fr")


@pytest.fixture(autouse=True)
def _profile_url(settings):
    if _needs_profile_stand_in():
        settings.ROOT_URLCONF = "tests.community.urls"
        clear_url_caches()
    yield
    clear_url_caches()


@pytest.fixture
def member(db):
    """A signed-in member whose posts are published at once (already has a published post elsewhere)."""
    return UserFactory(roles=["ambassador"])


@pytest.fixture
def maintainer(db):
    return UserFactory(roles=["source_maintainer"])


@pytest.fixture
def moderator(db):
    return UserFactory(staff=True)
