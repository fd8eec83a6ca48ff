from django.core import mail

import pytest

from core.mail import render_templated_mail, send_templated_mail
from tests.factories import UserFactory


@pytest.mark.django_db
def test_mail_is_rendered_in_the_recipients_language():
    UserFactory(email="anglophone@exemple.org", preferred_language="en")
    UserFactory(email="francophone@exemple.org", preferred_language="fr")
    assert send_templated_mail(
        to="anglophone@exemple.org", template="home/email/test_message", context={"name": "Sam"}
    )
    assert send_templated_mail(
        to="francophone@exemple.org", template="home/email/test_message", context={"name": "Lou"}
    )
    english, french = mail.outbox
    assert english.subject == "[Transiscope] Hello Sam"
    assert "this is a test message" in english.body.lower()
    assert french.subject == "[Transiscope] Bonjour Lou"
    assert "Ceci est un message d'essai" in french.body
    html, mimetype = english.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="en">' in html
    assert '<html lang="fr">' in french.alternatives[0][0]


@pytest.mark.django_db
def test_someone_without_an_account_reads_french_unless_told_otherwise():
    message = render_templated_mail(
        to="inconnu@exemple.org", template="home/email/test_message", context={"name": "A"}
    )
    assert message.subject == "[Transiscope] Bonjour A"
    message = render_templated_mail(
        to="inconnu@exemple.org", template="home/email/test_message", context={"name": "A"}, language="en"
    )
    assert message.subject == "[Transiscope] Hello A"
