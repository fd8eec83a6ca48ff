"""A kit saved for offline reading opens, with its document, when the browser has no network."""

from django.core.files.base import ContentFile

import pytest
from wagtail.documents.models import Document
from wagtail.models import Page

from kits.models import KitIndexPage
from tests.kits.factories import add_kit


@pytest.fixture
def offline_kit(live_site):
    home = Page.objects.get(depth=2).specific
    index = KitIndexPage(title="Kits et formations", slug="kits-et-formations")
    home.add_child(instance=index)
    index.save_revision().publish()
    document = Document.objects.create(
        title="Fiche cartopartie", file=ContentFile(b"Fiche de recensement\n", name="fiche-cartopartie.txt")
    )
    kit = add_kit(
        index,
        title="Organiser une cartopartie",
        body=[
            ("text", {"title": "Choisir le lieu", "text": "<p>Un lieu accessible, un samedi matin.</p>"}),
            ("document", {"title": "La fiche de recensement", "document": document, "description": ""}),
        ],
    )
    return kit, document


def test_saved_kit_opens_offline(page, offline_kit):
    kit, document = offline_kit
    page.goto(kit.url)
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)") is True
    page.reload()  # now controlled by the service worker
    button = page.get_by_role("button", name="Enregistrer pour lire hors connexion")
    button.click()
    page.locator("[data-offline-bundle][data-saved=true]").wait_for()
    assert "il s’ouvrira sans connexion" in page.locator(".offline-status").inner_text()

    page.context.set_offline(True)
    page.goto(kit.url)
    assert page.locator("h1").inner_text() == "Organiser une cartopartie"
    assert page.get_by_text("Un lieu accessible, un samedi matin.").is_visible()
    status = page.evaluate(f"fetch('{document.url}').then(r => r.text())")
    assert status == "Fiche de recensement\n"
    # a page that was not saved really is out of reach
    page.goto("/kits/formations/")
    assert page.locator("h1").inner_text() == "Hors connexion"
