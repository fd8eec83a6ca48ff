"""The requester's and the partner's pages in Chromium: a request from the form to an accepted partner."""

import re

from django.core import mail

import pytest

from support.models import Referral, SupportRequest
from tests.support.factories import PartnerFactory, ReferralFactory, answer_path

pytestmark = pytest.mark.django_db(transaction=True)


def test_requester_submits_and_follows_their_request(page, live_server):
    page.goto("/accompagnement/")
    page.get_by_label("Nom du collectif").fill("Jardins partagés de Nîmes")
    page.get_by_label("Personne de contact").fill("Alice Martin")
    page.get_by_label("Adresse e-mail").fill("alice@exemple.org")
    page.get_by_label("Code postal ou code INSEE de la commune").fill("99999")
    page.get_by_label("Votre besoin porte sur").select_option("cartoparty")
    page.get_by_label("Décrivez votre besoin").fill(
        "Nous voulons cartographier notre quartier avec les habitants."
    )
    page.get_by_label("J'accepte que mes données").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    # A clear error, tied to the field.
    territory = page.get_by_label("Code postal ou code INSEE de la commune")
    assert territory.get_attribute("aria-invalid") == "true"
    assert "99999" in page.locator("#id_territory_code_error").inner_text()

    territory.fill("30000")
    page.get_by_label("J'accepte que mes données").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_url("**/accompagnement/merci/")
    assert "merci" in page.locator("h1").inner_text().lower()

    support_request = SupportRequest.objects.get()
    confirmation = next(m for m in mail.outbox if m.to == ["alice@exemple.org"])
    path = re.search(r"https?://[^/]+(/accompagnement/suivi/\S+)", confirmation.body).group(1)
    page.goto(path)
    assert support_request.reference in page.locator("h1").inner_text()
    assert "Nouvelle" in page.content()
    page.get_by_label("Votre message").fill("Nous sommes disponibles le samedi.")
    page.get_by_role("button", name="Envoyer", exact=True).click()
    page.wait_for_selector("text=Votre message est envoyé.")
    assert page.locator(".support-message", has_text="disponibles le samedi").count() == 1


def test_partner_accepts_and_sees_the_contact(page, live_server):
    partner = PartnerFactory(organisation="Colibris Occitanie")
    referral = ReferralFactory(
        partner=partner, message="Texte relu par l'équipe.", request__contact_email="alice@exemple.org"
    )
    page.goto(answer_path(referral))
    assert "Texte relu par l'équipe." in page.content()
    assert "alice@exemple.org" not in page.content()
    page.get_by_role("button", name="J'accepte d'accompagner ce collectif").click()
    page.wait_for_selector("#contact")
    assert "alice@exemple.org" in page.locator("#contact").inner_text()
    assert Referral.objects.get().status == "accepted"
    page.get_by_label("Votre message").fill("Bonjour, appelons-nous mardi ?")
    page.get_by_role("button", name="Envoyer", exact=True).click()
    page.wait_for_selector("text=Votre message est envoyé.")
    assert SupportRequest.objects.get().status == "in_progress"


def test_partner_declines_with_keyboard_only(page, live_server):
    referral = ReferralFactory()
    page.goto(answer_path(referral))
    page.get_by_label("Pourquoi déclinez-vous ?").focus()
    page.keyboard.type("Pas de disponibilité avant l'été.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Vous avez décliné cette demande.")
    referral.refresh_from_db()
    assert referral.status == "declined"
