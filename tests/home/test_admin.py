import pytest

from core.models import SuppressedAddress
from home.models import PortalSettings
from tests.factories import UserFactory


@pytest.mark.django_db
def test_staff_manage_site_settings_and_see_suppressed_addresses(client, home_page):
    SuppressedAddress.objects.create(email="perdu@exemple.org", reason="bounced")
    client.force_login(UserFactory(staff=True))
    site_id = home_page.get_site().pk
    response = client.get(f"/admin/settings/home/portalsettings/{site_id}/")
    assert response.status_code == 200
    assert "footer_links" in response.content.decode()
    response = client.get("/admin/snippets/core/suppressedaddress/")
    assert response.status_code == 200
    assert "perdu@exemple.org" in response.content.decode()
    assert PortalSettings.for_site(home_page.get_site()).pk


@pytest.mark.django_db
def test_people_without_staff_rights_cannot_open_the_admin(client):
    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
