"""The e-mail provider's tracking webhook, exercised with real Brevo payloads through anymail's view."""

import base64
import json

from django.core import mail

import pytest

from core.mail import send_templated_mail
from core.models import SuppressedAddress

URL = "/hooks/anymail/brevo/tracking/"


def brevo_event(event: str, email: str, **extra) -> dict:
    return {
        "event": event,
        "email": email,
        "id": 1234567,
        "date": "2026-11-20 10:27:00",
        "ts": 1763630820,
        "message-id": "<202611201027.12345678901@smtp-relay.mailin.fr>",
        "ts_event": 1763630820,
        "subject": "[Transiscope] Bonjour",
        "tag": '["lettre"]',
        "sending_ip": "185.41.28.109",
        "ts_epoch": 1763630820123,
        **extra,
    }


@pytest.fixture
def webhook_secret(settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": "brevo:s3cr3t-webhook"}
    return "Basic " + base64.b64encode(b"brevo:s3cr3t-webhook").decode()


def post(client, payload, authorization):
    return client.post(
        URL, data=json.dumps(payload), content_type="application/json", HTTP_AUTHORIZATION=authorization
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("event", "reason"),
    [
        ("hard_bounce", "bounced"),
        ("spam", "complained"),
        ("blocked", "rejected"),
        ("invalid_email", "bounced"),
    ],
)
def test_suppressing_events_record_the_address(client, webhook_secret, event, reason):
    response = post(
        client, brevo_event(event, "Perdu@Exemple.org", reason="550 5.1.1 mailbox unknown"), webhook_secret
    )
    assert response.status_code == 200
    suppressed = SuppressedAddress.objects.get(email="perdu@exemple.org")
    assert suppressed.reason == reason


@pytest.mark.django_db
def test_repeated_events_are_counted_on_one_row(client, webhook_secret):
    for _ in range(3):
        post(client, brevo_event("hard_bounce", "perdu@exemple.org"), webhook_secret)
    assert SuppressedAddress.objects.get(email="perdu@exemple.org").events == 3


@pytest.mark.django_db
@pytest.mark.parametrize("event", ["delivered", "opened", "soft_bounce", "deferred", "click"])
def test_other_events_suppress_nothing(client, webhook_secret, event):
    assert post(client, brevo_event(event, "ok@exemple.org"), webhook_secret).status_code == 200
    assert not SuppressedAddress.objects.exists()


@pytest.mark.django_db
def test_webhook_refuses_a_wrong_secret(client, webhook_secret):
    wrong = "Basic " + base64.b64encode(b"brevo:devine").decode()
    response = post(client, brevo_event("hard_bounce", "perdu@exemple.org"), wrong)
    assert response.status_code == 400
    assert not SuppressedAddress.objects.exists()


@pytest.mark.django_db
def test_send_templated_mail_skips_an_address_that_bounced(client, webhook_secret):
    post(client, brevo_event("hard_bounce", "perdu@exemple.org"), webhook_secret)
    sent = send_templated_mail(
        to="PERDU@exemple.org", template="home/email/test_message", context={"name": "X"}
    )
    assert sent is False
    assert mail.outbox == []
    assert send_templated_mail(to="ok@exemple.org", template="home/email/test_message", context={"name": "Y"})
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_webhook_without_a_configured_secret_answers_404_and_suppresses_nothing(client, settings):
    settings.ANYMAIL = {key: value for key, value in settings.ANYMAIL.items() if key != "WEBHOOK_SECRET"}
    response = post(client, brevo_event("hard_bounce", "victime@exemple.org"), "")
    assert response.status_code == 404
    assert not SuppressedAddress.objects.exists()


@pytest.mark.django_db
def test_webhook_refuses_a_post_without_credentials(client, webhook_secret):
    response = client.post(
        URL, data=json.dumps(brevo_event("spam", "victime@exemple.org")), content_type="application/json"
    )
    assert response.status_code == 400
    assert not SuppressedAddress.objects.exists()


def test_system_check_errors_when_an_anymail_backend_has_no_webhook_secret(settings):
    from core.checks import anymail_webhook_has_a_secret

    settings.DEBUG = False
    settings.EMAIL_BACKEND = "anymail.backends.brevo.EmailBackend"
    settings.ANYMAIL = {"BREVO_API_KEY": "xkeysib-123"}
    assert [error.id for error in anymail_webhook_has_a_secret(None)] == ["core.E001"]
    settings.ANYMAIL = {"BREVO_API_KEY": "xkeysib-123", "WEBHOOK_SECRET": "brevo:long-secret"}
    assert anymail_webhook_has_a_secret(None) == []
    settings.ANYMAIL = {"BREVO_API_KEY": "xkeysib-123"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert anymail_webhook_has_a_secret(None) == []
