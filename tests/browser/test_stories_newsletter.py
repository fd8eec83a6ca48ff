"""In Chromium: subscribing to the newsletter with the keyboard, and errors shown next to their field."""

from django.core import mail

from newsletter.models import Subscriber


def test_subscribe_to_the_newsletter_with_the_keyboard(page, live_site):
    page.goto("/lettre/")
    page.get_by_label("Votre adresse e-mail").fill("clavier@exemple.org")
    page.get_by_label("Un département", exact=True).check()
    page.get_by_label("Département", exact=True).select_option("29")
    page.get_by_label("Chaque semaine", exact=True).check()
    page.get_by_role("button", name="M'inscrire").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Presque fini").wait_for()
    subscriber = Subscriber.objects.get(email="clavier@exemple.org")
    assert subscriber.status == "pending" and subscriber.territory_code == "29"
    assert subscriber.frequency == "weekly"
    assert len(mail.outbox) == 1


def test_form_errors_are_tied_to_their_fields(page, live_site):
    page.goto("/lettre/")
    page.get_by_label("Votre adresse e-mail").fill("pas-une-adresse")
    page.get_by_role("button", name="M'inscrire").click()
    page.get_by_role("alert").wait_for()
    assert page.locator(".field.has-error #id_email").count() == 1
