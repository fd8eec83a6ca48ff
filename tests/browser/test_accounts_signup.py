"""End to end in Chromium: French home page, switch to English, sign up, confirm the e-mail, sign in."""

import re

from django.core import mail

from accounts.models import User


def test_signup_in_english_confirm_email_and_sign_in(page, live_site):
    mail.outbox = []
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("link", name="Aller au contenu").count() == 1

    page.locator(".language-switch a[hreflang=en]").click()
    page.wait_for_url("**/en/")
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_role("link", name="Sign in").click()
    page.wait_for_url("**/en/comptes/login/")
    page.locator("a[href^='/en/comptes/signup/']").first.click()
    page.wait_for_url("**/en/comptes/signup/**")

    page.get_by_label("Email").fill("lou@exemple.org")
    page.locator("input[name=password1]").fill("une phrase de passe solide")
    page.locator("input[name=password2]").fill("une phrase de passe solide")
    page.get_by_label("Display name").fill("Lou Navigatrice")
    page.get_by_label("Organisation").fill("Les Colibris du Gard")
    page.get_by_label("Territory").fill("30189")
    assert page.get_by_label("Preferred language").input_value() == "en"
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/en/comptes/confirm-email/")
    assert page.locator("h1").inner_text().strip() == "Verify Your Email Address"

    user = User.objects.get(email="lou@exemple.org")
    assert (user.display_name, user.territory, user.preferred_language) == ("Lou Navigatrice", "30189", "en")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/en/compte/")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/")
    page.goto("/en/comptes/login/")
    page.get_by_label("Email").fill("lou@exemple.org")
    page.get_by_label("Password").fill("une phrase de passe solide")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/en/compte/")
    assert page.locator("h1").inner_text() == "My account"
    assert "Lou Navigatrice" in page.locator("main").inner_text()
