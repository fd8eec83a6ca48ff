"""Secret links: only their hash is stored, the team replaces a lost one, the old ones keep working after
the migration; and the retention of abandoned requests."""

import hashlib
import importlib
from datetime import timedelta

from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from support import services, tasks
from support.models import Message, Referral, SecretLink, SupportRequest
from tests.support.factories import ReferralFactory, SupportRequestFactory, answer_path, follow_path
from tests.support.test_views import FORM, link_in, sent_to

pytestmark = pytest.mark.django_db


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]


def database_dump() -> str:
    """Everything the support app stores about requests, referrals and links, as text."""
    return str(
        [
            list(SupportRequest.objects.values()),
            list(Referral.objects.values()),
            list(SecretLink.objects.values()),
        ]
    )


def test_links_are_stored_hashed_and_every_email_brings_a_working_one(
    client, team_client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("support:index"), FORM)
    first = link_in(sent_to("alice@exemple.org")[0], "suivi")
    token = token_of(first)
    link = SecretLink.objects.get()
    assert link.token_hash != token
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in database_dump()
    with django_assert_max_num_queries(11):
        assert client.get(first).status_code == 200

    # A later e-mail carries a link of its own; the first one still works.
    support_request = SupportRequest.objects.get()
    team_client.post(support_request.get_absolute_url(), {"action": "message", "body": "Bonjour Alice."})
    second = link_in(sent_to("alice@exemple.org")[-1], "suivi")
    assert second != first
    assert token_of(second) not in database_dump()
    assert client.get(second).status_code == 200
    assert client.get(first).status_code == 200
    # The team's page never shows a requester's link.
    page = team_client.get(support_request.get_absolute_url()).content.decode()
    assert token not in page and token_of(second) not in page

    # The partner's link too is stored as a hash only.
    referral = services.request_forward(
        support_request=support_request,
        partner=ReferralFactory().partner,
        message="Texte relu.",
        by=None,
    )
    partner_page = link_in(sent_to(referral.partner.contact_email)[-1], "partenaire")
    assert token_of(partner_page) not in database_dump()
    assert client.get(partner_page).status_code == 200


def test_wrong_expired_or_foreign_tokens_are_404(client):
    referral = ReferralFactory()
    requester = follow_path(referral.request)
    partner = answer_path(referral)
    wrong = [
        reverse("support:follow", args=[referral.request.pk, "x" * 43]),
        reverse("support:follow", args=[referral.request.pk, token_of(partner)]),
        reverse("support:partner", args=[referral.pk, token_of(requester)]),
        reverse(
            "support:follow", args=[referral.request.pk, referral.request.secret_links.first().token_hash]
        ),
    ]
    for path in wrong:
        assert client.get(path).status_code == 404
    SupportRequest.objects.filter(pk=referral.request.pk).update(token_expires_at=timezone.now())
    Referral.objects.filter(pk=referral.pk).update(token_expires_at=timezone.now())
    assert client.get(requester).status_code == 404
    assert client.get(partner).status_code == 404


def test_team_sends_a_new_requester_link(client, team_client, team_member):
    support_request = SupportRequestFactory()
    old = follow_path(support_request)
    url = support_request.get_absolute_url()
    page = team_client.get(url, {"action": "new_link"}).content.decode()
    assert "Envoyer un nouveau lien" in page
    assert client.get(old).status_code == 200 and mail.outbox == []  # a GET changes nothing

    assert team_client.post(url, {"action": "new_link"}).status_code == 302
    assert client.get(old).status_code == 404
    new = link_in(sent_to(support_request.contact_email)[-1], "suivi")
    assert client.get(new).status_code == 200
    note = support_request.messages.get(author_user=team_member)
    assert note.internal and support_request.contact_email in note.body
    page = team_client.get(url).content.decode()
    assert "Nouveau lien de suivi envoyé" in page
    assert token_of(new) not in page


def test_team_sends_a_new_partner_link(client, team_client, team_member):
    referral = ReferralFactory(partner__contact_email="yann@pd.org", partner__organisation="Débrouillards")
    old, requester = answer_path(referral), follow_path(referral.request)
    url = referral.request.get_absolute_url()
    assert "Envoyer un nouveau lien au partenaire" in team_client.get(url).content.decode()

    response = team_client.post(url, {"action": "new_partner_link", "referral": referral.pk})
    assert response.status_code == 302
    assert client.get(old).status_code == 404
    assert client.get(link_in(sent_to("yann@pd.org")[-1], "partenaire")).status_code == 200
    assert client.get(requester).status_code == 200  # the requester's links are not the partner's
    note = referral.request.messages.get(author_user=team_member)
    assert note.internal and "Débrouillards" in note.body

    # A referral taken back gets no new link.
    services.referral_withdraw(referral=referral, by=team_member)
    mail.outbox.clear()
    response = team_client.post(url, {"action": "new_partner_link", "referral": referral.pk}, follow=True)
    assert "déjà close" in response.content.decode()
    assert mail.outbox == []


def test_only_the_team_sends_new_links_by_post_with_csrf(client, user, team_member):
    referral = ReferralFactory()
    requester, partner = follow_path(referral.request), answer_path(referral)
    url = referral.request.get_absolute_url()
    actions = [{"action": "new_link"}, {"action": "new_partner_link", "referral": referral.pk}]
    outsider = Client()
    for data in actions:
        assert outsider.post(url, data).url.startswith(reverse("account_login"))
    outsider.force_login(user)
    for data in actions:
        assert outsider.post(url, data).status_code == 403
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(team_member)
    for data in actions:
        assert forged.post(url, data).status_code == 403
    assert mail.outbox == []
    assert not referral.request.messages.exists()
    assert client.get(requester).status_code == 200
    assert client.get(partner).status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_keeps_the_links_already_sent_working(client):
    """Rows written with clear tokens (before 0004), hashed by the migration's own function."""
    migration = importlib.import_module("support.migrations.0004_hash_tokens")
    before = [("support", "0003_secretlink")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldRequest = old.get_model("support", "SupportRequest")
    now = timezone.now()
    fields = {
        "collective": "Collectif",
        "contact_name": "Alice",
        "contact_email": "alice@exemple.org",
        "territory_code": "30000",
        "departement": "30",
        "region": "76",
        "theme": "cartoparty",
        "description": "Une cartopartie.",
        "consent_at": now,
        "token_expires_at": now + timedelta(days=30),
    }
    kept = OldRequest.objects.create(token="jeton-en-clair-demande", status="forwarded", **fields)
    duplicate = OldRequest.objects.create(
        token="jeton-en-clair-doublon", status="closed", merged_into=kept, **fields
    )
    OldRequest.objects.create(token="jeton-en-clair-anonyme", anonymised_at=now, status="closed", **fields)
    partner = old.get_model("support", "Partner").objects.create(
        organisation="P", contact_name="P", contact_email="p@exemple.org"
    )
    referral = old.get_model("support", "Referral").objects.create(
        request=kept,
        partner=partner,
        message="Texte.",
        token="jeton-en-clair-partenaire",
        token_expires_at=now + timedelta(days=30),
    )

    migration.hash_existing_tokens(old, None)
    executor = MigrationExecutor(connection)
    executor.recorder.record_applied("support", "0004_hash_tokens")
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert "jeton-en-clair" not in database_dump()
    # Kept request, its merged duplicate (also accepted by the kept one), the referral.
    assert SecretLink.objects.count() == 4
    page = reverse("support:follow", args=[kept.pk, "jeton-en-clair-demande"])
    assert client.get(page).status_code == 200
    redirect = client.get(reverse("support:follow", args=[duplicate.pk, "jeton-en-clair-doublon"]))
    assert redirect.url == reverse("support:follow", args=[kept.pk, "jeton-en-clair-doublon"])
    assert client.get(redirect.url).status_code == 200
    assert (
        client.get(reverse("support:partner", args=[referral.pk, "jeton-en-clair-partenaire"])).status_code
        == 200
    )
    assert (
        client.get(reverse("support:follow", args=[kept.pk, "jeton-en-clair-partenaire"])).status_code == 404
    )
    assert client.get(reverse("support:follow", args=[kept.pk, "jeton-en-clair-autre"])).status_code == 404


# ---------------------------------------------------------------------------------------------------------
# Retention of open requests nobody touches any more


def make_request(*, days_ago: int, **fields) -> SupportRequest:
    """A request created and last changed `days_ago` days ago (`updated_at` is written on save)."""
    when = timezone.now() - timedelta(days=days_ago)
    support_request = SupportRequestFactory(created_at=when, **fields)
    SupportRequest.objects.filter(pk=support_request.pk).update(updated_at=when)
    return support_request


def test_open_request_without_activity_is_closed_as_abandoned_and_anonymised(settings, client):
    settings.SUPPORT_INACTIVITY_DAYS = 60
    settings.SUPPORT_RETENTION_DAYS = 30
    now = timezone.now()
    abandoned = make_request(days_ago=61, status="forwarded")
    Message.objects.create(
        request=abandoned,
        author_kind="requester",
        body="Mon numéro : 06 12",
        created_at=now - timedelta(days=70),
    )
    referral = ReferralFactory(request=abandoned)
    SupportRequest.objects.filter(pk=abandoned.pk).update(updated_at=now - timedelta(days=61))
    requester_link, partner_link = follow_path(abandoned), answer_path(referral)
    not_yet = make_request(days_ago=59, status="new")
    recent_note = make_request(days_ago=200, status="in_progress")
    Message.objects.create(
        request=recent_note,
        author_kind="team",
        body="Appel prévu.",
        internal=True,
        created_at=now - timedelta(days=5),
    )
    changed_lately = SupportRequestFactory(status="triaged", created_at=now - timedelta(days=200))
    resolved = make_request(days_ago=200, status="resolved", finished_at=now - timedelta(days=20))

    assert tasks.anonymise_requesters() == 1
    abandoned.refresh_from_db()
    assert abandoned.status == "closed" and abandoned.finished_at and abandoned.anonymised_at
    assert abandoned.contact_email == "" and abandoned.contact_name == ""
    assert abandoned.messages.filter(author_kind="system", body__contains="abandonnée").exists()
    assert not abandoned.messages.filter(body__contains="06 12").exists()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN
    assert client.get(requester_link).status_code == 404
    assert client.get(partner_link).status_code == 404
    assert not abandoned.secret_links.exists()
    assert mail.outbox == []  # a link sent now would stop working the same minute
    for other in (not_yet, recent_note, changed_lately, resolved):
        other.refresh_from_db()
        assert other.contact_email and other.anonymised_at is None
    assert (not_yet.status, resolved.status) == ("new", "resolved")

    # Two days later the quiet new request has reached the period too.
    assert services.close_abandoned_requests(now=now + timedelta(days=2)) == 1
    not_yet.refresh_from_db()
    assert not_yet.status == "closed" and not_yet.anonymised_at
    assert tasks.anonymise_requesters() == 0

    # A resolved request follows the retention rule: anonymised once finished for the period, still resolved.
    SupportRequest.objects.filter(pk=resolved.pk).update(finished_at=now - timedelta(days=31))
    assert tasks.anonymise_requesters() == 1
    resolved.refresh_from_db()
    assert resolved.status == "resolved" and resolved.anonymised_at and resolved.contact_email == ""
    assert not resolved.messages.filter(body__contains="abandonnée").exists()


def test_partner_who_accepted_an_abandoned_request_is_told_without_a_link(
    settings, django_capture_on_commit_callbacks
):
    settings.SUPPORT_INACTIVITY_DAYS = 60
    abandoned = make_request(days_ago=90, status="accepted")
    accepted = ReferralFactory(request=abandoned, status=Referral.Status.ACCEPTED)
    SupportRequest.objects.filter(pk=abandoned.pk).update(updated_at=timezone.now() - timedelta(days=90))
    english = ReferralFactory(request=make_request(days_ago=90, status="accepted"), status="accepted")
    english.partner.languages = ["en"]
    english.partner.save()
    long_ago = timezone.now() - timedelta(days=90)
    SupportRequest.objects.filter(pk=english.request_id).update(updated_at=long_ago)
    declined = ReferralFactory(request=abandoned, status=Referral.Status.DECLINED)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.anonymise_requesters() == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {accepted.partner.contact_email, english.partner.contact_email}
    assert declined.partner.contact_email not in by_address
    french = by_address[accepted.partner.contact_email]
    assert abandoned.reference in french.subject and "fermée faute d'activité" in french.subject
    assert "60 jours" in french.body and "http" not in french.body  # no link: it would not work
    assert "http" not in french.alternatives[0][0].replace("http-equiv", "")
    assert "closed" in by_address[english.partner.contact_email].subject
