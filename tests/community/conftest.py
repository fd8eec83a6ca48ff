"""Fixtures for the community tests."""

from django.utils import translation

import pytest

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _french_first():
    """Each test starts in French (a request to /en/ leaves English active in the test thread)."""
    translation.activate("fr")
    yield
    translation.activate("fr")


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
