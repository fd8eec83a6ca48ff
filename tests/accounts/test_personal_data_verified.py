"""The "Mes données" export joins what was sent by e-mail on verified addresses only."""

import json

from django.urls import reverse

import pytest
from allauth.account.models import EmailAddress

from home.models import HomePage
from stories.models import CallPage, StoryIndexPage, Submission
from tests.factories import UserFactory
from tests.newsletter.factories import SubscriberFactory
from tests.sources.factories import ReportFactory
from tests.support.factories import SupportRequestFactory

VICTIM = "victime@exemple.org"


def _export(client) -> dict:
    response = client.get(reverse("accounts:data_download"))
    assert response.status_code == 200
    return json.loads(response.content)["apps"]


@pytest.fixture
def victims_trail(db):
    """What the owner of VICTIM sent without an account: a support request, a testimony, a subscription,
    a report."""
    SupportRequestFactory(
        contact_email=VICTIM, description="Notre collectif a besoin d'aide, voici nos soucis."
    )
    index = StoryIndexPage(title="Récits", slug="recits", introduction="<p>Les récits.</p>")
    HomePage.objects.first().add_child(instance=index)
    call = CallPage(title="Racontez", slug="appel", introduction="<p>Racontez !</p>")
    index.add_child(instance=call)
    Submission.objects.create(
        call=call, name="Victime", email=VICTIM.upper(), phone="0600000000", territory="30", text="Mon récit."
    )
    SubscriberFactory(email=VICTIM)
    ReportFactory(reporter_email=VICTIM)


@pytest.mark.django_db
def test_an_unverified_address_exports_nothing_of_its_owner(client, victims_trail):
    intruder = UserFactory(email=VICTIM, verified=False)
    EmailAddress.objects.create(user=intruder, email=VICTIM, verified=False, primary=True)
    client.force_login(intruder)
    apps = _export(client)
    assert apps["support"]["support_requests"] == []
    assert apps["stories"]["testimonies"] == []
    assert "newsletter_subscription" not in apps.get("newsletter", {})
    assert apps["sources"]["reports_filed_with_my_email"] == []
    assert "0600000000" not in json.dumps(apps)

    # Once the address is proved theirs, the same export holds it all (the test above can fail).
    EmailAddress.objects.filter(user=intruder).update(verified=True)
    apps = _export(client)
    assert len(apps["support"]["support_requests"]) == 1
    assert len(apps["stories"]["testimonies"]) == 1
    assert apps["newsletter"]["newsletter_subscription"]["email"] == VICTIM
    assert len(apps["sources"]["reports_filed_with_my_email"]) == 1


@pytest.mark.django_db
def test_a_verified_secondary_address_is_joined_too(client, victims_trail):
    person = UserFactory(email="principal@exemple.org")
    EmailAddress.objects.create(user=person, email=VICTIM, verified=True, primary=False)
    client.force_login(person)
    apps = _export(client)
    assert len(apps["support"]["support_requests"]) == 1
    assert len(apps["stories"]["testimonies"]) == 1
