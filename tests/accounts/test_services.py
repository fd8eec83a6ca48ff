from django.core.exceptions import ValidationError

import pytest
from allauth.account.models import EmailAddress

from accounts import services
from accounts.models import User
from tests.factories import UserFactory


@pytest.mark.django_db
def test_account_delete_removes_the_person_and_their_addresses():
    user = UserFactory()
    services.account_delete(user=user)
    assert not User.objects.filter(email=user.email).exists()
    assert not EmailAddress.objects.filter(email=user.email).exists()


@pytest.mark.django_db
def test_profile_update_refuses_an_unknown_territory():
    user = UserFactory(territory="30")
    with pytest.raises(ValidationError):
        services.profile_update(
            user=user, display_name="X", organisation="", territory="00000", preferred_language="fr"
        )
    user.refresh_from_db()
    assert user.territory == "30"
