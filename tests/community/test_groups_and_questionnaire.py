"""Working groups (join request to the welcomer) and the questionnaire to sources (Wagtail form page)."""

import csv
import io
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page

import pytest

from community import services
from community.models import QuestionnaireReminder, SourceQuestionnaireField, SourceQuestionnairePage
from community.tasks import send_questionnaire_reminders
from sources.models import Source
from tests.community.factories import WorkingGroupFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_group_page_and_join_request_goes_to_welcomer(client):
    welcomer = UserFactory(email="accueil@exemple.org", display_name="Awa Accueil")
    referents = [UserFactory(display_name="Réf Un"), UserFactory(display_name="Réf Deux")]
    group = WorkingGroupFactory(name="Technique", welcomer=welcomer, chat_url="https://chat.exemple.org/tech")
    group.referents.set(referents)
    html = client.get(group.get_absolute_url()).content.decode()
    assert (
        "Réf Un" in html and "Réf Deux" in html and "Awa Accueil" in html and "chat.exemple.org/tech" in html
    )
    assert "accueil@exemple.org" not in html
    response = client.post(
        group.get_absolute_url(),
        {"name": "Nina Bénévole", "email": "nina@exemple.org", "message": "Je code en Python."},
    )
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["accueil@exemple.org"] and message.reply_to == ["nina@exemple.org"]
    assert "Nina Bénévole" in message.subject and "Je code en Python." in message.body
    assert group.join_requests.count() == 1
    assert "Technique" in client.get(reverse("community:groups")).content.decode()


def test_join_request_honeypot(client):
    group = WorkingGroupFactory()
    client.post(group.get_absolute_url(), {"name": "x", "email": "x@exemple.org", "site_web_entreprise": "y"})
    assert not mail.outbox and not group.join_requests.exists()


@pytest.fixture
def questionnaire(db):
    root = Page.get_first_root_node()
    page = SourceQuestionnairePage(title="Questionnaire communauté", slug="questionnaire-communaute")
    root.add_child(instance=page)
    SourceQuestionnaireField.objects.create(
        page=page, sort_order=1, label="Combien de bénévoles ?", field_type="number", required=True
    )
    SourceQuestionnaireField.objects.create(
        page=page, sort_order=2, label="Vos besoins", field_type="multiline", required=False
    )
    from wagtail.models import Site

    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "testserver", "port": 80, "root_page": root}
    )
    return page


def _source(name, *maintainers):
    source = Source.objects.create(name=name, slug=name.lower().replace(" ", "-"), source_key=name)
    source.maintainers.add(*maintainers)
    return source


def test_questionnaire_restricted_to_maintainers_and_one_answer_per_source(client, questionnaire):
    url = questionnaire.url
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    maintainer = UserFactory(roles=["source_maintainer"])
    colleague = UserFactory(roles=["source_maintainer"])
    compost = _source("Compost", maintainer, colleague)
    _source("Vélo", maintainer)
    client.force_login(maintainer)
    assert "Combien de bénévoles" in client.get(url).content.decode()
    response = client.post(url, {"source": compost.pk, "combien_de_benevoles": "12", "vos_besoins": "=cmd|x"})
    assert response.status_code == 200
    submission = questionnaire.get_submissions().get()
    assert submission.source == compost and str(submission.form_data["combien_de_benevoles"]) == "12"
    # The colleague cannot answer again for the same source.
    client.force_login(colleague)
    assert "ont déjà répondu" in client.get(url).content.decode()
    response = client.post(url, {"source": compost.pk, "combien_de_benevoles": "3"})
    assert questionnaire.get_submissions().count() == 1

    client.force_login(UserFactory(staff=True))
    export = client.get(reverse("community:questionnaire_csv", args=[questionnaire.pk]))
    rows = list(csv.reader(io.StringIO(export.content.decode().lstrip("\ufeff"))))
    assert rows[0][:3] == ["Source", "Répondu par", "Date"] and rows[0][3] == "Combien de bénévoles ?"
    assert rows[1][0] == "Compost" and rows[1][3] == "12" and rows[1][4] == "'=cmd|x"
    client.force_login(maintainer)
    assert client.get(reverse("community:questionnaire_csv", args=[questionnaire.pk])).status_code == 403


def test_reminders_go_to_sources_without_answer_and_are_spaced(questionnaire):
    answered_by = UserFactory()
    waiting = UserFactory(email="attente@exemple.org")
    answered = _source("Répondu", answered_by)
    _source("En attente", waiting)
    _source("Sans mainteneur")
    questionnaire.get_submission_class().objects.create(page=questionnaire, source=answered, form_data={})
    assert send_questionnaire_reminders() == 1
    assert [m.to for m in mail.outbox] == [["attente@exemple.org"]]
    assert questionnaire.url in mail.outbox[0].body
    assert services.questionnaire_reminders_send() == 0  # not again within 14 days
    later = timezone.now() + timedelta(days=15)
    assert services.questionnaire_reminders_send(now=later) == 1
    assert QuestionnaireReminder.objects.count() == 2


@pytest.fixture
def questionnaire_en(questionnaire):
    """The questionnaire's English translation, its questions copied (same clean names)."""
    from wagtail.models import Locale

    english, _created = Locale.objects.get_or_create(language_code="en")
    translation = questionnaire.copy_for_translation(english, alias=False)
    translation.slug, translation.title = "community-questionnaire", "Community questionnaire"
    translation.save_revision().publish()
    return SourceQuestionnairePage.objects.get(pk=translation.pk)


def test_a_source_answers_once_whatever_the_language(client, questionnaire, questionnaire_en):
    maintainer = UserFactory(roles=["source_maintainer"])
    compost = _source("Compost", maintainer)
    questionnaire.get_submission_class().objects.create(
        page=questionnaire, source=compost, form_data={"combien_de_benevoles": 4}
    )
    client.force_login(maintainer)
    response = client.get(questionnaire_en.url)
    assert response.status_code == 200 and response.context["page"] == questionnaire_en
    assert response.context["already_answered"] is True
    assert not questionnaire_en.sources_to_answer(maintainer).exists()

    english_answer = _source("Vélo", maintainer)
    questionnaire.get_submission_class().objects.create(
        page=questionnaire_en, source=english_answer, form_data={"combien_de_benevoles": 9}
    )
    client.force_login(UserFactory(staff=True))
    export = client.get(reverse("community:questionnaire_csv", args=[questionnaire.pk]))
    rows = list(csv.reader(io.StringIO(export.content.decode().lstrip("\ufeff"))))
    assert sorted((row[0], row[3]) for row in rows[1:]) == [("Compost", "4"), ("Vélo", "9")]


def test_a_translated_questionnaire_sends_one_reminder_in_the_maintainer_language(
    questionnaire, questionnaire_en
):
    _source("En attente", UserFactory(email="fr@exemple.org"))
    _source("Waiting", UserFactory(email="en@exemple.org", preferred_language="en"))
    assert services.questionnaire_reminders_send() == 2
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert questionnaire.url in bodies["fr@exemple.org"]
    assert questionnaire_en.url in bodies["en@exemple.org"]
    assert set(QuestionnaireReminder.objects.values_list("page", flat=True)) == {questionnaire.pk}
    assert services.questionnaire_reminders_send() == 0
