"""Reports: GoGoCarto's webhook (good, bad, repeated posts), the public form, resolution e-mails."""

from django.core import mail
from django.urls import reverse

import pytest

from sources.models import Report
from sources.services import reports
from tests.factories import UserFactory
from tests.sources.factories import SourceElementFactory, SourceFactory

pytestmark = pytest.mark.django_db

GOOD_POST = {
    "elementId": "colibris-42",
    "gogoId": "A1b2",
    "url": "https://transiscope.gogocarto.fr/annuaire#/fiche/la-cagette/A1b2/",
    "elementName": "La Cagette",
    "value": "1",
    "userEmail": "zoe@exemple.org",
    "comment": "Les horaires ont changé.",
}


@pytest.fixture
def source():
    return SourceFactory(maintainers=[UserFactory(email="ines@colibris.example")], contact_email="")


def webhook(source):
    return reverse("sources_api:gogocarto_report", kwargs={"slug": source.slug, "token": source.report_token})


def test_gogocarto_post_creates_a_report_and_alerts_once_even_when_repeated(client, source):
    response = client.post(webhook(source), GOOD_POST)
    assert response.status_code == 201
    report = Report.objects.get()
    assert (report.channel, report.reason, report.element_id, report.gogo_id) == (
        "gogocarto",
        1,
        "colibris-42",
        "A1b2",
    )
    assert report.reporter_email == "zoe@exemple.org"
    assert len(mail.outbox) == 1 and "Nouveau signalement" in mail.outbox[0].subject

    again = client.post(webhook(source), GOOD_POST)
    assert again.status_code == 200
    assert again.json() == {"ok": True, "id": report.pk, "created": False}
    assert Report.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("change", "message_part"),
    [
        ({"value": ""}, "value"),
        ({"value": "3"}, "attendu 0, 1, 2 ou 4"),
        ({"value": "abc"}, "n'est pas un nombre"),
        ({"elementId": "", "gogoId": ""}, "elementId"),
        ({"userEmail": "pas-une-adresse"}, "userEmail"),
        ({"url": "javascript:alert(1)"}, "url"),
    ],
)
def test_bad_gogocarto_posts_answer_400_with_a_clear_message(client, source, change, message_part):
    response = client.post(webhook(source), {**GOOD_POST, **change})
    assert response.status_code == 400
    assert message_part in response.json()["error"]
    assert not Report.objects.exists()


def test_webhook_needs_the_right_token_and_post(client, source):
    url = reverse("sources_api:gogocarto_report", kwargs={"slug": source.slug, "token": "mauvais"})
    assert client.post(url, GOOD_POST).status_code == 404
    assert client.get(webhook(source)).status_code == 405


def test_public_report_form_finds_the_source_from_the_element_id(client, source):
    SourceElementFactory(source=source, element_id="colibris-7", name="Le Repair Café")
    response = client.post(
        reverse("sources:report"),
        {"element": "colibris-7", "reason": "0", "comment": "Fermé depuis juin.", "email": "zoe@exemple.org"},
    )
    assert response.status_code == 200
    assert "Merci pour votre signalement" in response.content.decode()
    report = Report.objects.get()
    assert (report.source, report.element_name, report.channel) == (source, "Le Repair Café", "portal")


def test_public_report_form_with_a_map_url_needs_the_source(client, source):
    url = "https://transiscope.gogocarto.fr/annuaire#/fiche/la-cagette/A1b2/"
    response = client.post(reverse("sources:report"), {"element": url, "reason": "1"})
    assert "Choisissez la source" in response.content.decode()
    response = client.post(reverse("sources:report"), {"element": url, "reason": "1", "source": source.pk})
    assert Report.objects.get().gogo_id == "A1b2"


def test_public_report_form_honeypot_and_rate_limit(client, source):
    SourceElementFactory(source=source, element_id="e1")
    response = client.post(
        reverse("sources:report"), {"element": "e1", "reason": "1", "site_web_entreprise": "spam"}
    )
    assert "robot" in response.content.decode()
    assert not Report.objects.exists()
    statuses = [
        client.post(
            reverse("sources:report"), {"element": "e1", "reason": "1", "comment": str(n)}
        ).status_code
        for n in range(12)
    ]
    # 10 POSTs an hour per address, the honeypot one included.
    assert statuses[:9] == [200] * 9
    assert statuses[-1] == 429
    assert Report.objects.count() == 9


def test_resolution_tells_the_reporter_once(source):
    report, _created = reports.create_report(
        source=source, reason=1, element_id="x", comment="Mauvais horaires", reporter_email="zoe@exemple.org"
    )
    mail.outbox.clear()
    reports.set_report_status(report=report, status="acknowledged")
    assert mail.outbox == []
    reports.set_report_status(report=report, status="fixed", message="Horaires corrigés, merci !")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zoe@exemple.org"]
    assert "Horaires corrigés" in mail.outbox[0].body
    reports.set_report_status(report=report, status="fixed", message="Encore")
    assert len(mail.outbox) == 1
