"""Sign-in limits stop guessing one account without locking out an office behind one address."""

from django.urls import reverse

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "un-mot-de-passe-solide"


def _sign_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_fifteen_colleagues_mistyping_once_do_not_lock_out_the_sixteenth(client):
    colleagues = [UserFactory(email=f"collegue{n}@tierslieu.org", password=PASSWORD) for n in range(16)]
    for person in colleagues[:15]:
        _sign_in(client, person.email, "une faute de frappe")
    _sign_in(client, colleagues[15].email, PASSWORD)
    assert _signed_in(client)


def test_guessing_one_account_is_stopped_even_with_the_right_password_at_the_end(client):
    person = UserFactory(email="cible@exemple.org", password=PASSWORD)
    for attempt in range(6):
        _sign_in(client, person.email, f"essai-{attempt}")
    _sign_in(client, person.email, PASSWORD)
    assert not _signed_in(client)
