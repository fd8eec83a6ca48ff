import pytest

from tests.factories import UserFactory


@pytest.fixture
def team_member(db):
    return UserFactory(roles=["staff"], email="lea@transiscope.org", display_name="Léa")


@pytest.fixture
def team_client(client, team_member):
    client.force_login(team_member)
    return client
