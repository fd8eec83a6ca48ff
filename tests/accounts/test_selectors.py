import json

import pytest

from accounts import selectors
from tests.factories import UserFactory


@pytest.mark.django_db
def test_export_collects_personal_data_from_every_installed_app_that_defines_it(monkeypatch):
    import home.selectors

    monkeypatch.setattr(
        home.selectors, "personal_data", lambda *, user: {"note": f"about {user.email}"}, raising=False
    )
    user = UserFactory()
    export = selectors.user_data_export(user=user)
    assert export["apps"]["home"] == {"note": f"about {user.email}"}
    assert "accounts" in export["apps"]
    json.dumps(export)  # JSON-serialisable
