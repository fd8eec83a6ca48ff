import json

from django.core import mail

import pytest

from newsletter.models import NewsletterIssue
from tests.factories import UserFactory
from tests.newsletter.factories import IssueFactory, SubscriberFactory, element
from tests.stories.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_editor_sees_recipient_count_previews_and_sends(client, django_capture_on_commit_callbacks):
    readers = SubscriberFactory.create_batch(3, territory_code="29")
    SubscriberFactory(frequency="weekly")
    element(SourceFactory(territory=""), name="Tiers-lieu de Brest", departement="29")  # something new
    issue = IssueFactory(introduction="Édito du mois")
    client.force_login(UserFactory(staff=True))

    page = client.get(f"/admin/lettre/numeros/{issue.pk}/envoi/")
    assert page.status_code == 200
    assert "3 abonné·es confirmé·es recevront ce numéro" in page.content.decode()
    preview = client.get(f"/admin/lettre/numeros/{issue.pk}/apercu/", {"email": readers[0].email})
    assert "Édito du mois" in preview.content.decode()
    assert client.get("/admin/snippets/newsletter/newsletterissue/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/lettre/numeros/{issue.pk}/envoi/")
    assert len(mail.outbox) == 3
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT
    client.post(f"/admin/lettre/numeros/{issue.pk}/envoi/")  # a second click sends nothing
    assert len(mail.outbox) == 3


def test_people_without_permission_cannot_send(client):
    issue = IssueFactory()
    SubscriberFactory()
    client.force_login(UserFactory())
    assert client.post(f"/admin/lettre/numeros/{issue.pk}/envoi/").status_code in {302, 403}
    assert len(mail.outbox) == 0


def test_the_communication_group_can_prepare_and_send_an_issue(client):
    from accounts import roles

    issue = IssueFactory()
    client.force_login(UserFactory(roles=[roles.COMMUNICATION_GROUP]))
    assert client.get(f"/admin/lettre/numeros/{issue.pk}/envoi/").status_code == 200
    assert client.get("/admin/snippets/newsletter/newsletterissue/").status_code == 200
    assert client.get("/admin/snippets/stories/submission/").status_code == 200


def test_an_admin_edits_a_subscribers_choices_but_not_their_address_or_consent(client):
    """Only the double opt-in confirms an address: the admin form shows the address and status, read-only."""
    pending = SubscriberFactory(status="pending", confirmed_at=None, territory_code="30")
    client.force_login(UserFactory(staff=True))
    edit_url = f"/admin/snippets/newsletter/subscriber/edit/{pending.pk}/"
    page = client.get(edit_url)
    assert page.status_code == 200 and pending.email in page.content.decode()
    response = client.post(
        edit_url,
        {
            "email": "quelquun-dautre@exemple.org",
            "status": "active",
            "confirmed_at": "2026-01-01 10:00",
            "scope": "departement",
            "territory_code": "29",
            "radius_km": "",
            "topics": json.dumps(pending.topics),
            "frequency": "weekly",
            "language": "fr",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    pending.refresh_from_db()
    assert (pending.territory_code, pending.frequency) == ("29", "weekly")
    assert (pending.status, pending.confirmed_at) == ("pending", None)
    assert pending.email.startswith("abonne")
