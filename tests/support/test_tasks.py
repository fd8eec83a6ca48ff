"""Scheduled work: partner deadlines and retention."""

import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest
from django_q.models import Schedule

from support import tasks
from support.models import Message, Referral, SupportRequest
from tests.support.factories import PartnerFactory, ReferralFactory, SupportRequestFactory, follow_path

pytestmark = pytest.mark.django_db


def test_schedules_exist():
    funcs = set(Schedule.objects.values_list("func", flat=True))
    assert {"support.tasks.check_partner_deadlines", "support.tasks.anonymise_requesters"} <= funcs


def test_no_answer_means_reminder_then_back_to_triage_with_next_suggestion(settings, client):
    settings.SUPPORT_PARTNER_REPLY_DAYS = 5
    now = timezone.now()
    silent = PartnerFactory(organisation="Silencieux", contact_email="silence@exemple.org")
    PartnerFactory(organisation="Suivant", departements=["30"])
    referral = ReferralFactory(partner=silent, sent_at=now - timedelta(days=4))

    assert tasks.check_partner_deadlines() == {"reminded": 0, "expired": 0}
    Referral.objects.filter(pk=referral.pk).update(sent_at=now - timedelta(days=6))
    assert tasks.check_partner_deadlines() == {"reminded": 1, "expired": 0}
    reminder = mail.outbox[-1]
    assert reminder.to == ["silence@exemple.org"] and "Relance" in reminder.subject
    link = re.search(r"http://testserver(/accompagnement/partenaire/\d+/\S+/)", reminder.body).group(1)
    assert client.get(link).status_code == 200
    # Reminded only once.
    assert tasks.check_partner_deadlines() == {"reminded": 0, "expired": 0}

    mail.outbox.clear()
    Referral.objects.filter(pk=referral.pk).update(reminded_at=now - timedelta(days=6))
    assert tasks.check_partner_deadlines() == {"reminded": 0, "expired": 1}
    referral.refresh_from_db()
    assert referral.status == Referral.Status.EXPIRED
    assert referral.request.status == SupportRequest.Status.TRIAGED
    team_mail = mail.outbox[-1]
    assert "Silencieux" in team_mail.subject and "Suivant" in team_mail.body
    assert client.get(link).status_code == 404


def test_retention_anonymises_finished_requests_only(settings, client):
    settings.SUPPORT_RETENTION_DAYS = 30
    now = timezone.now()
    old = SupportRequestFactory(status="resolved", finished_at=now - timedelta(days=31))
    Message.objects.create(request=old, author_kind="requester", body="Mon numéro : 06 12 34 56 78")
    Message.objects.create(request=old, author_kind="team", body="Réponse de l'équipe")
    recent = SupportRequestFactory(status="closed", finished_at=now - timedelta(days=5))
    still_open = SupportRequestFactory(status="in_progress", created_at=now - timedelta(days=400))
    old_link = follow_path(old)

    assert tasks.anonymise_requesters() == 1
    old.refresh_from_db()
    assert old.contact_email == "" and old.contact_name == "" and old.anonymised_at
    assert old.collective and old.theme  # still counted in the figures
    assert not old.messages.filter(body__contains="06 12").exists()
    assert old.messages.filter(body="Réponse de l'équipe").exists()
    assert client.get(old_link).status_code == 404
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert recent.contact_email and still_open.contact_email
    assert tasks.anonymise_requesters() == 0
