"""Sources pages in Chromium: the public report form by keyboard, a maintainer's dashboard with its chart."""

from django.conf import settings as django_settings
from django.test import Client
from django.urls import NoReverseMatch, reverse

import pytest

from sources.models import Report
from tests.factories import UserFactory
from tests.sources.factories import ImportRunFactory, SourceElementFactory, SourceFactory


@pytest.fixture(autouse=True)
def _profile_url_available(settings):
    try:
        reverse("accounts:profile")
    except NoReverseMatch:  # until the accounts work is merged (see tests/sources/urls.py)
        settings.ROOT_URLCONF = "tests.sources.urls"


def test_report_form_can_be_filled_with_the_keyboard(page, live_site):
    source = SourceFactory(name="Colibris")
    SourceElementFactory(source=source, element_id="colibris-7", name="Le Repair Café")
    page.goto("/sources/signaler/")
    page.get_by_label("Identifiant de l'alternative ou son adresse sur la carte").fill("colibris-7")
    page.get_by_label("L'alternative n'existe plus").check()
    page.get_by_label("Commentaire").fill("Fermé depuis juin.")
    page.get_by_label("Commentaire").press("Tab")
    page.keyboard.press("Tab")  # the e-mail field, then the button
    page.get_by_role("button", name="Envoyer le signalement").press("Enter")
    page.wait_for_selector("text=Merci pour votre signalement")
    report = Report.objects.get()
    assert (report.source, report.reason, report.element_name) == (source, 0, "Le Repair Café")


def test_maintainer_sees_the_dashboard_chart(page, live_site):
    maintainer = UserFactory()
    source = SourceFactory(name="Alternatiba", maintainers=[maintainer])
    for n in range(4):
        ImportRunFactory(source=source, counters={"elementsCount": 20 + n, "elementsErrorsCount": n})
    client = Client()
    client.force_login(maintainer)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_site.url,
            }
        ]
    )
    page.goto(f"/sources/{source.slug}/")
    assert page.locator("h1").inner_text() == "Alternatiba"
    assert page.locator("svg[role=img] rect").count() >= 4
    assert page.get_by_role("heading", name="Tendance des dernières vérifications").is_visible()
