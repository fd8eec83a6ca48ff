"""Services called directly: the rules the pages rely on."""

import re

from django.core import mail

import pytest

from core.errors import ServiceError
from support import services
from support.models import Message, Referral, SupportRequest
from tests.support.factories import PartnerFactory, ReferralFactory, SupportRequestFactory, follow_path

pytestmark = pytest.mark.django_db


def test_submit_rejects_an_unknown_territory():
    with pytest.raises(ServiceError):
        services.request_submit(
            collective="X",
            contact_name="Y",
            contact_email="y@exemple.org",
            territory_code="00000",
            theme="agenda",
            description="Une description suffisamment longue.",
        )


def test_submit_resolves_corsica_and_overseas():
    corsica = services.request_submit(
        collective="A",
        contact_name="B",
        contact_email="b@exemple.org",
        territory_code="20000",
        theme="agenda",
        description="Une description suffisamment longue.",
    )
    reunion = services.request_submit(
        collective="C",
        contact_name="D",
        contact_email="d@exemple.org",
        territory_code="97400",
        theme="agenda",
        description="Une description suffisamment longue.",
    )
    assert (corsica.departement, corsica.region) == ("2A", "94")
    assert (reunion.departement, reunion.region) == ("974", "04")


def test_canned_answer_fills_known_variables_only():
    support_request = SupportRequestFactory(contact_name="Alice", collective="Les Jardins")
    text = services.canned_answer_render(
        text="Bonjour {{requester_name}} ({{ collective }}) {{ reference }} {{ secret_key }} {% debug %}",
        support_request=support_request,
    )
    assert (
        text == f"Bonjour Alice (Les Jardins) {support_request.reference} {{{{ secret_key }}}} {{% debug %}}"
    )
    # Answers written when links could be rebuilt: the stored message must hold no secret link.
    assert "/accompagnement/suivi/" not in services.canned_answer_render(
        text="{{ status_url }}", support_request=support_request
    )


def test_only_one_partner_at_a_time_and_withdraw():
    referral = ReferralFactory()
    other = PartnerFactory()
    with pytest.raises(ServiceError):
        services.request_forward(support_request=referral.request, partner=other, message="Texte", by=None)
    services.referral_withdraw(referral=referral, by=None)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN
    assert referral.request.status == SupportRequest.Status.TRIAGED
    again = services.request_forward(
        support_request=referral.request, partner=other, message="Texte", by=None
    )
    assert again.status == Referral.Status.PENDING


def test_forward_refuses_finished_requests_and_inactive_partners():
    with pytest.raises(ServiceError):
        services.request_forward(
            support_request=SupportRequestFactory(status="resolved"),
            partner=PartnerFactory(),
            message="Texte",
            by=None,
        )
    with pytest.raises(ServiceError):
        services.request_forward(
            support_request=SupportRequestFactory(),
            partner=PartnerFactory(is_active=False),
            message="T",
            by=None,
        )


def test_a_declined_partner_can_no_longer_write():
    referral = ReferralFactory()
    services.referral_decline(referral=referral, reason="Trop loin.")
    with pytest.raises(ServiceError):
        services.referral_accept(referral=referral)
    with pytest.raises(ServiceError):
        services.message_post(
            support_request=referral.request, author_kind=Message.Author.PARTNER, body="Re", referral=referral
        )


def test_decline_without_reason_is_refused():
    referral = ReferralFactory()
    with pytest.raises(ServiceError):
        services.referral_decline(referral=referral, reason="  ")


def test_requester_says_need_is_met():
    referral = ReferralFactory(status=Referral.Status.ACCEPTED, request__status="in_progress")
    services.request_resolve(support_request=referral.request, by_kind=Message.Author.REQUESTER)
    referral.request.refresh_from_db()
    assert referral.request.status == "resolved" and referral.request.resolved_at
    recipients = {address for message in mail.outbox for address in message.to}
    assert referral.partner.contact_email in recipients
    assert "accompagnement@transiscope.org" in recipients


def test_merging_another_persons_request_keeps_their_messages_internal():
    kept = SupportRequestFactory(contact_email="alice@exemple.org")
    duplicate = SupportRequestFactory(contact_email="bob@exemple.org")
    Message.objects.create(request=duplicate, author_kind="requester", body="Message de Bob")
    services.request_merge(duplicate=duplicate, into=kept, by=None)
    assert kept.messages.get(body="Message de Bob").internal
    with pytest.raises(ServiceError):
        services.request_merge(duplicate=kept, into=kept, by=None)
    with pytest.raises(ServiceError):
        services.request_merge(duplicate=SupportRequestFactory(), into=duplicate, by=None)


def test_new_link_invalidates_the_old_one(client):
    support_request = SupportRequestFactory()
    old = follow_path(support_request)
    services.request_regenerate_link(support_request=support_request)
    assert client.get(old).status_code == 404
    new = re.search(r"http://testserver(/accompagnement/suivi/\S+/)", mail.outbox[-1].body).group(1)
    assert client.get(new).status_code == 200


def test_triage_decline_withdraws_a_pending_referral_and_tells_the_requester():
    referral = ReferralFactory()
    services.request_triage(
        support_request=referral.request, by=None, status="declined", theme=referral.request.theme
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN
    assert mail.outbox[-1].to == [referral.request.contact_email]
    with pytest.raises(ServiceError):
        services.request_triage(support_request=referral.request, by=None, status="forwarded")
