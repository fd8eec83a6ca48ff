"""The agenda in a real browser: filter the list by keyboard, open an event, follow the month view."""

from datetime import timedelta

from django.utils import timezone

import pytest

from tests.agenda.factories import EventFactory


@pytest.fixture
def _agenda_profile_url(settings):
    from django.urls import NoReverseMatch, clear_url_caches, reverse

    try:
        reverse("accounts:profile")
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.agenda.urls_with_profile"
        clear_url_caches()
    yield
    clear_url_caches()


@pytest.mark.django_db(transaction=True)
def test_filter_and_open_an_event(page, _agenda_profile_url):
    start = timezone.now() + timedelta(days=4)
    EventFactory(
        title="Repair café de Nîmes",
        departement="30",
        region="76",
        start=start,
        end=start + timedelta(hours=3),
        latitude=43.8367,
        longitude=4.3601,
    )
    EventFactory(title="Disco soupe lyonnaise", departement="69", region="84", location="Lyon")
    page.goto("/agenda/")
    assert page.get_by_role("heading", name="Agenda de la transition").is_visible()
    page.get_by_label("Territoire").select_option("30")
    page.get_by_label("Mots-clés").press("Enter")
    page.wait_for_url("**/agenda/?*territoire=30*")
    assert page.get_by_role("link", name="Disco soupe lyonnaise").count() == 0
    page.get_by_role("link", name="Repair café de Nîmes").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Repair café de Nîmes"
    map_link = page.get_by_role("link", name="voir sur la carte (OpenStreetMap)")
    assert "openstreetmap.org/?mlat=43.83670" in map_link.get_attribute("href")
    page.goto("/agenda/")
    page.get_by_role("link", name="Vue par mois").click()
    assert page.locator("table.agenda-month caption").is_visible()
