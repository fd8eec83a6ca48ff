from django.contrib.auth.models import Group
from django.core import mail

import pytest

from home.models import FormField, FormPage, PortalFormSubmission
from tests.factories import UserFactory
from tests.home.conftest import publish


@pytest.fixture
def contact_page(home_page):
    page = FormPage(
        title="Contact",
        slug="contact",
        to_address="equipe@exemple.org",
        thank_you_text="<p>Merci, à bientôt !</p>",
    )
    page.form_fields = [
        FormField(label="Votre nom", field_type="singleline", required=True),
        FormField(label="Votre message", field_type="multiline", required=True),
    ]
    home_page.add_child(instance=page)
    return publish(page)


ANSWER = {"votre_nom": "Camille", "votre_message": "Bonjour !"}


@pytest.mark.django_db(transaction=True)
def test_an_answer_is_stored_without_the_honeypot_and_notified_by_email(client, contact_page):
    response = client.get("/contact/")
    assert 'name="site_web_entreprise"' in response.content.decode()
    response = client.post("/contact/", ANSWER)
    assert response.status_code == 200
    assert "Merci, à bientôt !" in response.content.decode()
    submission = PortalFormSubmission.objects.get()
    assert submission.get_data()["votre_nom"] == "Camille"
    assert "site_web_entreprise" not in submission.form_data
    assert submission.user is None
    assert [message.to for message in mail.outbox] == [["equipe@exemple.org"]]
    assert "Camille" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_filled_honeypot_is_refused(client, contact_page):
    response = client.post("/contact/", {**ANSWER, "site_web_entreprise": "http://spam.example"})
    assert response.status_code == 200
    assert "ressemble à celui d&#x27;un robot" in response.content.decode()
    assert not PortalFormSubmission.objects.exists()


@pytest.mark.django_db
def test_answers_are_rate_limited(client, contact_page, settings):
    settings.PORTAL_FORM_RATE_LIMIT = "3/h"
    statuses = [client.post("/contact/", ANSWER).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert PortalFormSubmission.objects.count() == 3


@pytest.mark.django_db
def test_form_for_signed_in_people_ties_the_answer_to_the_account(client, contact_page):
    contact_page.login_required = True
    publish(contact_page)
    response = client.get("/contact/")
    assert response.status_code == 302
    assert response.url.startswith("/comptes/login/")
    user = UserFactory()
    client.force_login(user)
    client.post("/contact/", ANSWER)
    assert PortalFormSubmission.objects.get().user == user


@pytest.mark.django_db
def test_form_restricted_to_a_group(client, contact_page):
    contact_page.restricted_to_group = Group.objects.get(name="source_maintainer")
    publish(contact_page)
    client.force_login(UserFactory())
    response = client.get("/contact/")
    assert response.status_code == 403
    client.force_login(UserFactory(roles=["source_maintainer"]))
    assert client.get("/contact/").status_code == 200
