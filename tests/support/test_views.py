"""The whole path through the pages, with the e-mails each step sends."""

import re
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from accounts import roles
from support.models import CannedAnswer, Message, Referral, SupportRequest
from tests.factories import UserFactory
from tests.support.factories import (
    CannedAnswerFactory,
    PartnerFactory,
    ReferralFactory,
    SupportRequestFactory,
    answer_path,
    follow_path,
)

pytestmark = pytest.mark.django_db

FORM = {
    "collective": "Les Jardins partagés de Nîmes",
    "contact_name": "Alice Martin",
    "contact_email": "Alice@Exemple.org",
    "commune": "Nîmes",
    "territory_code": "30000",
    "theme": "cartoparty",
    "description": "Nous voulons cartographier les initiatives de notre quartier avec les habitants.",
    "consent": "on",
}


def link_in(message, name: str) -> str:
    match = re.search(rf"http://testserver(/(?:en/)?accompagnement/{name}/\d+/[\w-]+/)", message.body)
    assert match, message.body
    return match.group(1)


def sent_to(address: str):
    return [message for message in mail.outbox if address in message.to]


def test_whole_path_with_emails(client, team_client, team_member, django_capture_on_commit_callbacks):
    partner = PartnerFactory(organisation="Les Petits Débrouillards", contact_email="yann@pd.org")

    # 1. The public form: a confirmation with the secret link, and the team hears of it.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("support:index"), FORM)
    assert response.status_code == 302 and response.url == reverse("support:thanks")
    support_request = SupportRequest.objects.get()
    assert (support_request.departement, support_request.region) == ("30", "76")
    assert support_request.contact_email == "alice@exemple.org"
    assert len(mail.outbox) == 2
    confirmation = sent_to("alice@exemple.org")[0]
    assert support_request.reference in confirmation.subject
    follow = link_in(confirmation, "suivi")
    assert sent_to("accompagnement@transiscope.org")
    assert client.get(follow).status_code == 200

    # 2. Triage: assigned, no e-mail to the requester for this internal step.
    mail.outbox.clear()
    url = support_request.get_absolute_url()
    response = team_client.post(
        url, {"action": "triage", "status": "triaged", "assigned_to": team_member.pk, "theme": "cartoparty"}
    )
    assert response.status_code == 302
    support_request.refresh_from_db()
    assert support_request.status == "triaged" and support_request.assigned_to == team_member
    assert mail.outbox == []

    # 3. Forward with a redacted text: the partner gets their link, the requester sees the status.
    response = team_client.post(
        url, {"action": "forward", "partner": partner.pk, "message": "Un collectif de Nîmes (texte relu)."}
    )
    assert response.status_code == 302
    support_request.refresh_from_db()
    assert support_request.status == "forwarded"
    partner_mail = sent_to("yann@pd.org")[0]
    assert "texte relu" in partner_mail.body
    assert "alice@exemple.org" not in partner_mail.body
    partner_page = link_in(partner_mail, "partenaire")
    assert "transmise" in sent_to("alice@exemple.org")[0].body
    page = client.get(partner_page)
    assert page.status_code == 200
    assert "texte relu" in page.content.decode()
    assert "alice@exemple.org" not in page.content.decode()
    assert "Nous voulons cartographier" not in page.content.decode()

    # 4. The partner accepts: contact shown, everyone told.
    mail.outbox.clear()
    response = client.post(partner_page, {"action": "accept"})
    assert response.status_code == 302
    support_request.refresh_from_db()
    assert support_request.status == "accepted"
    assert "Les Petits Débrouillards" in sent_to("alice@exemple.org")[0].body
    assert sent_to(team_member.email)
    assert "alice@exemple.org" in sent_to("yann@pd.org")[0].body
    assert "alice@exemple.org" in client.get(partner_page).content.decode()

    # 5. The partner writes: first answer recorded, requester and team told.
    mail.outbox.clear()
    client.post(partner_page, {"action": "reply", "body": "Bonjour, appelons-nous mardi ?"})
    support_request.refresh_from_db()
    assert support_request.status == "in_progress"
    assert support_request.first_response_at is not None
    assert "appelons-nous mardi" in sent_to("alice@exemple.org")[0].body
    assert sent_to(team_member.email)
    assert "appelons-nous mardi" in client.get(follow).content.decode()

    # 6. The requester answers on their page: team and partner told.
    mail.outbox.clear()
    response = client.post(follow, {"action": "message", "body": "Avec plaisir, mardi 10 h."})
    assert response.status_code == 302
    assert sent_to(team_member.email) and sent_to("yann@pd.org")
    assert "mardi 10 h" in client.get(partner_page).content.decode()

    # 7. The team resolves: the requester is told.
    mail.outbox.clear()
    team_client.post(
        url, {"action": "triage", "status": "resolved", "assigned_to": team_member.pk, "theme": "cartoparty"}
    )
    support_request.refresh_from_db()
    assert support_request.status == "resolved" and support_request.resolved_at
    assert "Résolue" in sent_to("alice@exemple.org")[0].subject
    assert "Mon besoin est satisfait" not in client.get(follow).content.decode()


def test_english_request_gets_english_mail_and_links(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/accompagnement/", FORM)
    confirmation = sent_to("alice@exemple.org")[0]
    assert SupportRequest.objects.get().language == "en"
    assert link_in(confirmation, "suivi").startswith("/en/")


def test_form_errors_are_tied_to_fields(client):
    response = client.post(reverse("support:index"), {**FORM, "territory_code": "99999", "consent": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_territory_code_error"' in html
    assert 'aria-describedby="id_territory_code_helptext id_territory_code_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="consent-text id_consent_error"' in html
    assert SupportRequest.objects.count() == 0


def test_honeypot_rejects_robots(client):
    response = client.post(reverse("support:index"), {**FORM, "site_web_entreprise": "http://spam.example"})
    assert response.status_code == 400
    assert SupportRequest.objects.count() == 0
    assert mail.outbox == []


def test_rate_limit_on_the_public_form(client, settings):
    settings.SUPPORT_FORM_RATE = "2/h"
    for attempt in range(2):  # two different requests (the same one twice is one request)
        assert (
            client.post(reverse("support:index"), {**FORM, "collective": f"Collectif {attempt}"}).status_code
            == 302
        )
    assert client.post(reverse("support:index"), {**FORM, "collective": "Collectif 3"}).status_code == 429
    assert SupportRequest.objects.count() == 2


def test_wrong_or_expired_requester_link_is_404(client):
    support_request = SupportRequestFactory()
    path = follow_path(support_request)
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert client.get(path).status_code == 200
    assert client.get(reverse("support:follow", args=[support_request.pk, "x" * 43])).status_code == 404
    other = SupportRequestFactory()
    assert client.get(reverse("support:follow", args=[other.pk, token])).status_code == 404
    # The hash stored in the database is no link either.
    stored = support_request.secret_links.get().token_hash
    assert client.get(reverse("support:follow", args=[support_request.pk, stored])).status_code == 404
    # A partner's link to the same request does not open the requester's page.
    referral = ReferralFactory(request=support_request)
    partner_token = answer_path(referral).rstrip("/").rsplit("/", 1)[1]
    assert client.get(reverse("support:follow", args=[support_request.pk, partner_token])).status_code == 404
    SupportRequest.objects.filter(pk=support_request.pk).update(token_expires_at=timezone.now())
    assert client.get(path).status_code == 404


def test_partner_link_rules(client):
    referral = ReferralFactory()
    other = ReferralFactory()
    path = answer_path(referral)
    token = path.rstrip("/").rsplit("/", 1)[1]
    # A partner's token opens only its own referral, and not the requester's page.
    assert client.get(reverse("support:partner", args=[other.pk, token])).status_code == 404
    assert client.get(reverse("support:follow", args=[referral.request.pk, token])).status_code == 404
    assert client.get(reverse("support:partner", args=[referral.pk, "nope"])).status_code == 404
    page = client.get(path).content.decode()
    assert referral.request.contact_email not in page
    assert other.request.collective not in page
    Referral.objects.filter(pk=referral.pk).update(token_expires_at=timezone.now())
    assert client.get(path).status_code == 404
    Referral.objects.filter(pk=referral.pk).update(
        token_expires_at=timezone.now() + timedelta(days=1), status=Referral.Status.EXPIRED
    )
    assert client.get(path).status_code == 404


def test_partner_declines_with_reason(client, team_client, team_member):
    support_request = SupportRequestFactory(status="triaged", assigned_to=team_member)
    first = PartnerFactory(organisation="Premier")
    PartnerFactory(organisation="Second", departements=["34"])
    team_client.post(
        support_request.get_absolute_url(), {"action": "forward", "partner": first.pk, "message": "Texte."}
    )
    referral = Referral.objects.get()
    mail.outbox.clear()
    response = client.post(answer_path(referral), {"action": "decline", "reason": ""})
    assert response.status_code == 400
    client.post(answer_path(referral), {"action": "decline", "reason": "Pas disponibles ce trimestre."})
    referral.refresh_from_db()
    support_request.refresh_from_db()
    assert referral.status == "declined" and referral.decline_reason == "Pas disponibles ce trimestre."
    assert support_request.status == "triaged"
    notice = sent_to(team_member.email)[0]
    assert "Pas disponibles" in notice.body and "Second" in notice.body
    page = team_client.get(support_request.get_absolute_url()).content.decode()
    assert "Second" in page and 'id="suggestions"' in page
    # The partner who declined is not suggested again.
    assert "<strong>Premier</strong>" not in page


def test_partner_question_before_accepting_stays_with_the_team(client, team_member):
    referral = ReferralFactory(request__assigned_to=team_member)
    client.post(answer_path(referral), {"action": "reply", "body": "Quelle est la taille du collectif ?"})
    message = Message.objects.get(author_kind="partner")
    assert message.internal
    assert sent_to(team_member.email)
    assert not sent_to(referral.request.contact_email)
    assert "taille du collectif" not in client.get(follow_path(referral.request)).content.decode()


def test_canned_answer_prefill_and_usage_count(team_client):
    support_request = SupportRequestFactory(
        contact_name="Alice <b>Martin</b>", collective="Collectif {{ x }}"
    )
    answer = CannedAnswerFactory()
    page = team_client.get(f"{support_request.get_absolute_url()}?reponse={answer.pk}").content.decode()
    assert "Bonjour Alice &lt;b&gt;Martin&lt;/b&gt;, merci pour la demande ACC-" in page
    team_client.post(
        support_request.get_absolute_url(),
        {"action": "message", "body": "Bonjour Alice", "canned_answer": answer.pk},
    )
    assert CannedAnswer.objects.get().usage_count == 1
    assert sent_to(support_request.contact_email)


def test_internal_note_is_not_sent_nor_shown(team_client, client):
    support_request = SupportRequestFactory()
    team_client.post(
        support_request.get_absolute_url(), {"action": "message", "body": "Connu de Léa.", "internal": "on"}
    )
    assert mail.outbox == []
    assert "Connu de Léa" not in client.get(follow_path(support_request)).content.decode()
    assert "Connu de Léa" in team_client.get(support_request.get_absolute_url()).content.decode()


def test_merge_duplicates(team_client, client):
    kept = SupportRequestFactory(contact_email="alice@exemple.org")
    duplicate = SupportRequestFactory(contact_email="alice@exemple.org")
    Message.objects.create(request=duplicate, author_kind="requester", body="Je renvoie ma demande.")
    link = follow_path(duplicate)
    response = team_client.post(duplicate.get_absolute_url(), {"action": "merge", "into": kept.reference})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept and duplicate.status == "closed"
    assert kept.messages.filter(body="Je renvoie ma demande.", internal=False).exists()
    # The duplicate's link leads to the request that is kept, where it works.
    token = link.rstrip("/").rsplit("/", 1)[1]
    response = client.get(link)
    assert response.url == reverse("support:follow", args=[kept.pk, token])
    assert "Je renvoie ma demande." in client.get(response.url).content.decode()
    response = team_client.post(kept.get_absolute_url(), {"action": "merge", "into": "ACC-99999"})
    assert response.status_code == 400


def test_team_pages_need_the_team_role(client, user):
    support_request = SupportRequestFactory()
    urls = [
        reverse("support:team_queue"),
        support_request.get_absolute_url(),
        reverse("support:team_partners"),
        reverse("support:team_answers"),
        reverse("support:team_figures"),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page
    client.force_login(user)
    for url in urls:
        assert client.get(url).status_code == 403
    # A trusted partner's account does not open the queue: partners see a request only through their own
    # link, and the requester's contact only once they accept.
    client.force_login(UserFactory(roles=[roles.TRUSTED_PARTNER]))
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_queue_query_count(team_client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    partner = PartnerFactory()
    ReferralFactory.create_batch(3, partner=partner)
    team_client.get(reverse("support:team_queue"))  # warms the per-process caches (site, locale)
    with CaptureQueriesContext(connection) as few:
        team_client.get(reverse("support:team_queue"))
    ReferralFactory.create_batch(30, partner=partner, request__assigned_to=UserFactory(roles=["staff"]))
    with django_assert_max_num_queries(15):
        response = team_client.get(reverse("support:team_queue"))
    assert response.status_code == 200
    assert response.content.decode().count("ACC-") >= 33
    # The number of queries does not grow with the number of requests.
    with CaptureQueriesContext(connection) as many:
        team_client.get(reverse("support:team_queue"))
    assert len(many) == len(few)


def test_partner_directory_shows_only_opted_in(client):
    PartnerFactory(organisation="Visible", in_directory=True)
    PartnerFactory(organisation="Discret", in_directory=False)
    page = client.get(reverse("support:directory")).content.decode()
    assert "Visible" in page and "Discret" not in page


def test_team_edits_partners_and_answers(team_client):
    response = team_client.post(
        reverse("support:team_partner_create"),
        {
            "organisation": "Réseau Cocagne",
            "themes": ["cooperation"],
            "coverage": "local",
            "regions": ["53"],
            "languages": ["fr", "en"],
            "contact_name": "Jo",
            "contact_email": "jo@cocagne.org",
            "capacity": 2,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    response = team_client.post(
        reverse("support:team_answer_create"), {"title": "Cartopartie", "body": "Bonjour", "is_active": "on"}
    )
    assert response.status_code == 302
    assert CannedAnswer.objects.filter(title="Cartopartie").exists()
    response = team_client.post(
        reverse("support:team_partner_create"),
        {
            "organisation": "Sans territoire",
            "coverage": "local",
            "languages": ["fr"],
            "contact_name": "X",
            "contact_email": "x@x.org",
            "capacity": 1,
        },
    )
    assert response.status_code == 400


def test_faq_entries_are_offered_as_canned_answers(team_client):
    from support.models import FaqAnswerUse
    from tests.kits.factories import FaqEntryFactory

    entry = FaqEntryFactory(
        question="Comment organiser une cartopartie ?", answer="<p>Choisissez un <b>quartier</b>.</p>"
    )
    FaqEntryFactory(question="Brouillon", live=False)
    support_request = SupportRequestFactory()
    url = support_request.get_absolute_url()
    page = team_client.get(url).content.decode()
    assert f"?faq={entry.pk}" in page and "Brouillon" not in page
    page = team_client.get(f"{url}?faq={entry.pk}").content.decode()
    assert "Choisissez un quartier." in page and f"#{entry.slug}" in page
    team_client.post(
        url,
        {
            "action": "message",
            "body": "Choisissez un quartier.",
            "faq_entry": entry.pk,
            "faq_question": entry.question,
        },
    )
    use = FaqAnswerUse.objects.get()
    assert (use.faq_entry_id, use.usage_count, use.question) == (entry.pk, 1, entry.question)
    assert (
        "Comment organiser une cartopartie ?"
        in team_client.get(reverse("support:team_answers")).content.decode()
    )


def test_figures_page_and_csv(team_client, client, user):
    from tests.factories import UserFactory

    SupportRequestFactory(theme="agenda", region="53", departement="29")
    page = team_client.get(reverse("support:team_figures")).content.decode()
    assert "<svg" in page and "Lancer un agenda agrégatif" in page and "Bretagne" in page
    response = team_client.get(reverse("support:team_figures_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines()[1].startswith("ACC-")
    # The steering committee sees the figures, not the queue.
    committee = UserFactory(roles=["steering_committee"])
    client.force_login(committee)
    assert client.get(reverse("support:team_figures")).status_code == 200
    assert client.get(reverse("support:team_queue")).status_code == 403


def test_pages_and_mails_in_english(client, django_capture_on_commit_callbacks):
    page = client.get("/en/accompagnement/").content.decode()
    assert "Ask for support" in page and "What we do with your data" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/accompagnement/", FORM)
    confirmation = sent_to("alice@exemple.org")[0]
    assert "has been received" in confirmation.subject
    assert "Follow your request" in confirmation.body


def test_wagtail_admin_menu_links_to_the_queue(team_member):
    from django.test import Client

    admin = Client()
    team_member.is_staff = True
    team_member.save()
    admin.force_login(team_member)
    from django.contrib.auth.models import Permission

    team_member.user_permissions.add(Permission.objects.get(codename="access_admin"))
    page = admin.get("/admin/").content.decode()
    assert reverse("support:team_queue") in page


def test_team_answers_a_pending_partner_privately(client, team_client):
    referral = ReferralFactory()
    team_client.post(
        referral.request.get_absolute_url(),
        {"action": "message", "body": "Le collectif compte 12 personnes.", "to_partner": "on"},
    )
    assert [message.to for message in mail.outbox] == [[referral.partner.contact_email]]
    assert "12 personnes" in client.get(answer_path(referral)).content.decode()
    assert "12 personnes" not in client.get(follow_path(referral.request)).content.decode()
    other = ReferralFactory()
    assert "12 personnes" not in client.get(answer_path(other)).content.decode()


def test_the_same_form_sent_twice_stores_one_request(client):
    page = client.get(reverse("support:index")).content.decode()
    token = re.search(r'name="jeton_envoi" value="([^"]+)"', page).group(1)
    first = client.post(reverse("support:index"), {**FORM, "jeton_envoi": token})
    second = client.post(reverse("support:index"), {**FORM, "jeton_envoi": token}, follow=True)
    assert first.status_code == 302 and second.redirect_chain[-1][0] == reverse("support:thanks")
    assert SupportRequest.objects.count() == 1
    assert "votre premier envoi a bien été reçu" in second.content.decode()
    assert len([m for m in mail.outbox if m.to == ["alice@exemple.org"]]) == 1
    # The same request again from a fresh page (back button, reload) within minutes is still one request.
    fresh = re.search(r'name="jeton_envoi" value="([^"]+)"', client.get(reverse("support:index")).text)
    client.post(reverse("support:index"), {**FORM, "jeton_envoi": fresh.group(1)})
    assert SupportRequest.objects.count() == 1
    # A fresh page gives a fresh token: a second, different request is welcome.
    again = re.search(
        r'name="jeton_envoi" value="([^"]+)"', client.get(reverse("support:index")).content.decode()
    )
    assert again.group(1) != token
