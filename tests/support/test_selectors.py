"""Partner suggestions, figures, personal data."""

from datetime import timedelta

from django.utils import timezone

import pytest

from support import selectors
from support.models import Partner, Referral, SupportRequest
from tests.factories import UserFactory
from tests.support.factories import PartnerFactory, ReferralFactory, SupportRequestFactory

pytestmark = pytest.mark.django_db


def names(suggestions):
    return [suggestion.partner.organisation for suggestion in suggestions]


def test_suggestions_rank_theme_then_territory_then_load():
    support_request = SupportRequestFactory(theme="cartoparty", departement="30", region="76")
    PartnerFactory(
        organisation="National", themes=["cartoparty"], coverage=Partner.Coverage.NATIONAL, departements=[]
    )
    PartnerFactory(organisation="Région", themes=["cartoparty"], departements=[], regions=["76"])
    PartnerFactory(organisation="Voisin de région", themes=["cartoparty"], departements=["34"])
    PartnerFactory(organisation="Département", themes=["cartoparty"], departements=["30"])
    PartnerFactory(organisation="Département autre thème", themes=["agenda"], departements=["30"])
    PartnerFactory(organisation="Ailleurs", themes=["cartoparty"], departements=["29"])
    PartnerFactory(organisation="Hors sujet ailleurs", themes=["agenda"], departements=["29"])
    PartnerFactory(organisation="Inactif", themes=["cartoparty"], departements=["30"], is_active=False)

    ranked = names(selectors.suggest_partners(support_request=support_request, limit=None))
    assert ranked == [
        "Département",
        "Région",
        "Voisin de région",
        "National",
        "Ailleurs",
        "Département autre thème",
    ]


def test_suggestions_prefer_the_least_loaded_and_put_full_partners_last():
    support_request = SupportRequestFactory(theme="agenda", departement="30", region="76")
    busy = PartnerFactory(organisation="Occupé", themes=["agenda"], capacity=4)
    free = PartnerFactory(organisation="Libre", themes=["agenda"], capacity=4)
    full = PartnerFactory(organisation="Complet", themes=["agenda"], capacity=1)
    ReferralFactory.create_batch(2, partner=busy)
    ReferralFactory(partner=free)
    ReferralFactory(partner=full, status=Referral.Status.ACCEPTED, request__status="accepted")
    # Finished requests and declined referrals are not load.
    ReferralFactory(partner=free, status=Referral.Status.DECLINED)
    ReferralFactory(partner=free, request__status="resolved", status=Referral.Status.ACCEPTED)

    suggestions = selectors.suggest_partners(support_request=support_request)
    assert names(suggestions) == ["Libre", "Occupé", "Complet"]
    assert [s.load for s in suggestions] == [1, 2, 1]
    assert suggestions[-1].is_full


def test_partners_already_asked_are_not_suggested():
    referral = ReferralFactory(status=Referral.Status.DECLINED)
    assert selectors.suggest_partners(support_request=referral.request) == []


def test_figures_count_per_theme_region_month_and_medians():
    now = timezone.now()
    first = SupportRequestFactory(theme="cartoparty", region="76", created_at=now - timedelta(days=10))
    first.first_response_at = first.created_at + timedelta(days=2)
    first.resolved_at = first.created_at + timedelta(days=6)
    first.status = SupportRequest.Status.RESOLVED
    first.save()
    second = SupportRequestFactory(theme="cartoparty", region="53", departement="29")
    second.first_response_at = second.created_at + timedelta(days=4)
    second.save()
    SupportRequestFactory(theme="agenda", region="53", departement="29", created_at=now - timedelta(days=30))
    SupportRequestFactory(theme="agenda", merged_into=first)  # duplicates are not counted
    accepted = PartnerFactory(organisation="Accepte")
    ReferralFactory(partner=accepted, status=Referral.Status.ACCEPTED)
    ReferralFactory(partner=accepted, status=Referral.Status.DECLINED)
    ReferralFactory(partner=accepted, status=Referral.Status.ACCEPTED)
    ReferralFactory(partner=accepted, status=Referral.Status.EXPIRED)

    figures = selectors.support_figures()
    by_theme = {bar["label"]: bar["value"] for bar in figures["by_theme"]["bars"]}
    # The 4 referral factories made 4 more requests on the default theme.
    assert by_theme["Lancer un agenda agrégatif"] == 1
    assert by_theme["Organiser une cartopartie"] == 2 + 4
    assert figures["median_first_answer_days"] == 3.0
    assert figures["median_resolution_days"] == 6.0
    assert figures["acceptance"] == [
        {"partner": "Accepte", "sent": 4, "accepted": 2, "declined": 1, "expired": 1, "rate": 50}
    ]
    assert sum(bar["value"] for bar in figures["by_month"]["bars"]) == figures["total"] == 7
    # The agenda request waiting for 30 days in Brittany, with no partner: an unmet need.
    assert figures["unmet_waiting"] == 1
    assert {"theme": "Lancer un agenda agrégatif", "region": "Bretagne", "count": 1} in figures["uncovered"]
    widest = max(figures["by_theme"]["bars"], key=lambda bar: bar["value"])
    assert widest["width"] == 100


def test_csv_rows_have_no_contact_data():
    support_request = SupportRequestFactory(contact_email="secret@exemple.org", contact_name="Secret")
    rows = selectors.figures_csv_rows()
    assert rows[0][0] == "reference"
    assert rows[1][0] == support_request.reference
    assert "secret" not in repr(rows).lower()


def test_personal_data_lists_requests_with_the_users_email():
    user = UserFactory(email="alice@exemple.org")
    SupportRequestFactory(contact_email="alice@exemple.org", collective="Mine")
    SupportRequestFactory(contact_email="bob@exemple.org", collective="Other")
    data = selectors.personal_data(user=user)
    assert [r["collective"] for r in data["support_requests"]] == ["Mine"]
    import json

    json.dumps(data)


def test_key_figures_count_handled_requests():
    SupportRequestFactory(status="accepted")
    SupportRequestFactory(status="resolved")
    SupportRequestFactory(status="new")
    assert selectors.key_figures()[0]["value"] == 2
