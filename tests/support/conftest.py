from django.test import Client

import pytest

from tests.factories import UserFactory


@pytest.fixture
def team_member(db):
    return UserFactory(roles=["staff"], email="lea@transiscope.org", display_name="Léa")


@pytest.fixture
def team_client(team_member):
    """A separate browser for the team, so `client` stays an anonymous requester or partner."""
    team = Client()
    team.force_login(team_member)
    return team


@pytest.fixture(autouse=True)
def _french(settings):
    """Requests under /en/ switch the thread's language; each test starts in French again."""
    from django.utils import translation

    with translation.override("fr"):
        yield


@pytest.fixture(autouse=True)
def _mail_at_commit(callbacks_run_at_commit):
    """Support sends its e-mails once the write has committed: run those callbacks at that point."""
