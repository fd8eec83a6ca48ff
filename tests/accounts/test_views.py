import json

from django.urls import reverse

import pytest

from accounts.models import User
from tests.factories import UserFactory


@pytest.mark.django_db
def test_account_area_needs_a_login(client):
    for name in ("profile", "profile_edit", "data", "data_download", "delete"):
        response = client.get(reverse(f"accounts:{name}"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_profile_shows_the_territory_by_name(client):
    user = UserFactory(territory="30189")
    client.force_login(user)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    assert "Gard (30)" in response.content.decode()
    assert f'href="{reverse("kits:my_learning")}"' in response.content.decode()  # completed kits, trainings


@pytest.mark.django_db
def test_profile_edit_validates_the_territory(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile_edit"),
        {"display_name": "Nouveau nom", "organisation": "", "territory": "ZZ", "preferred_language": "fr"},
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    user.refresh_from_db()
    assert user.display_name != "Nouveau nom"


@pytest.mark.django_db
def test_choosing_english_switches_the_interface_to_english(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile_edit"),
        {"display_name": "Jo", "organisation": "Alternatiba", "territory": "2a", "preferred_language": "en"},
    )
    assert response.status_code == 302
    assert response.url == "/en/compte/"
    user.refresh_from_db()
    assert (user.display_name, user.territory, user.preferred_language) == ("Jo", "2A", "en")
    response = client.get(response.url)
    assert b'<html lang="en">' in response.content
    assert b"My account" in response.content


@pytest.mark.django_db
def test_data_export_holds_the_profile_and_every_app_that_stores_personal_data(client):
    user = UserFactory(display_name="Inès", organisation="Colibris", territory="30", roles=["ambassador"])
    other = UserFactory(display_name="Quelqu'un d'autre")
    client.force_login(user)
    response = client.get(reverse("accounts:data_download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == user.email
    assert data["account"]["display_name"] == "Inès"
    assert data["account"]["territory"] == "30"
    accounts = data["apps"]["accounts"]
    assert accounts["email_addresses"] == [{"email": user.email, "verified": True, "primary": True}]
    assert [role["code"] for role in accounts["roles"]] == ["ambassador"]
    assert other.email not in response.content.decode()


@pytest.mark.django_db
def test_account_deletion_needs_the_password(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:delete"), {"password": "pas-le-bon"})
    assert response.status_code == 200
    assert User.objects.filter(pk=user.pk).exists()

    response = client.post(reverse("accounts:delete"), {"password": "mot-de-passe-solide"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert "_auth_user_id" not in client.session
