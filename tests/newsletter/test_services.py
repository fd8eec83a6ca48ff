import re
from datetime import timedelta

from django.core import mail

import pytest

from core.models import SuppressedAddress
from newsletter import selectors, services
from newsletter.models import Delivery, NewsletterIssue, Subscriber
from tests.newsletter.factories import IssueFactory, SubscriberFactory, element
from tests.stories.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_subscription_needs_confirmation(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        subscriber = services.subscribe(
            email="Zoe@Exemple.org",
            scope="departement",
            territory_code="29",
            radius_km=None,
            topics=["alternatives", "stories"],
            frequency="weekly",
            language="fr",
        )
    assert subscriber.status == Subscriber.Status.PENDING and subscriber.email == "zoe@exemple.org"
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/lettre/confirmer/\S+/)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING  # a GET (link scanner) confirms nothing
    client.post(link)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE and subscriber.confirmed_at
    assert client.post(link[:-4] + "abc/").status_code == 404


def test_an_active_subscription_changes_only_once_the_link_is_followed(
    client, django_capture_on_commit_callbacks
):
    subscriber = SubscriberFactory(email="ines@exemple.org", territory_code="30")
    with django_capture_on_commit_callbacks(execute=True):
        services.subscribe(
            email="ines@exemple.org",
            scope="departement",
            territory_code="75",
            radius_km=None,
            topics=["stories"],
            frequency="weekly",
            language="fr",
        )
    subscriber.refresh_from_db()
    assert subscriber.territory_code == "30" and subscriber.status == Subscriber.Status.ACTIVE
    link = re.search(r"http://testserver(/lettre/confirmer/\S+/)", mail.outbox[0].body).group(1)
    client.post(link)
    subscriber.refresh_from_db()
    assert (subscriber.territory_code, subscriber.frequency, subscriber.topics) == (
        "75",
        "weekly",
        ["stories"],
    )


def test_composition_is_per_territory():
    source = SourceFactory(territory="")
    element(source, name="Ressourcerie d'Alès", departement="30", lat=44.125, lon=4.081)
    element(source, name="Recyclerie de Nîmes", departement="30", lat=43.837, lon=4.36)
    element(source, name="AMAP de Quimper", departement="29", lat=47.996, lon=-4.102)
    element(source, name="Ancienne", departement="30", days_ago=90)
    element(source, name="Retirée", departement="30", removed=True)
    issue = IssueFactory()

    composed = selectors.compose(issue=issue, keys={"D30", "D29", "R76", "C30007:20"})

    def names(key):
        return sorted(e["name"] for e in composed[key].alternatives)

    assert names("D30") == ["Recyclerie de Nîmes", "Ressourcerie d'Alès"]
    assert names("D29") == ["AMAP de Quimper"]  # the Gard does not reach Finistère
    assert names("R76") == ["Recyclerie de Nîmes", "Ressourcerie d'Alès"]
    assert names("C30007:20") == ["Ressourcerie d'Alès"]  # Nîmes is ~40 km from Alès


def test_sending_reaches_each_subscriber_with_their_territory_and_unsubscribe_headers(
    django_capture_on_commit_callbacks,
):
    source = SourceFactory(territory="")
    element(source, name="Ressourcerie d'Alès", departement="30")
    gard = SubscriberFactory(territory_code="30")
    finistere = SubscriberFactory(territory_code="29")
    SubscriberFactory(territory_code="30", frequency="weekly")  # another rhythm
    SubscriberFactory(territory_code="30", status=Subscriber.Status.PENDING)  # not confirmed
    issue = IssueFactory()
    assert selectors.recipient_count(issue=issue) == 2

    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send(issue=issue)

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {gard.email, finistere.email}
    assert "Ressourcerie d'Alès" in by_recipient[gard.email].body
    assert "Ressourcerie d'Alès" not in by_recipient[finistere.email].body
    headers = by_recipient[gard.email].extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].startswith("<http://testserver/lettre/desinscription/")
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT and issue.recipient_count == 2


class WorkerKilled(BaseException):
    """What a worker being killed looks like from inside: nothing catches it."""


class DyingBackend:
    """Accepts messages like locmem, and dies right after the provider accepted the Nth one."""

    def __init__(self, die_after):
        self.die_after = die_after

    def __call__(self, *args, **kwargs):
        from django.core.mail.backends.locmem import EmailBackend

        backend_self = self

        class Backend(EmailBackend):
            def send_messages(self, messages):
                sent = super().send_messages(messages)
                if len(mail.outbox) == backend_self.die_after:
                    raise WorkerKilled
                return sent

        return Backend(*args, **kwargs)


@pytest.fixture
def news_in_the_gard():
    """Subscribers with nothing new get no e-mail: give the Gard (the factory's territory) some news."""
    element(SourceFactory(territory=""), name="Ressourcerie d'Alès", departement="30")


def test_sending_is_idempotent_after_an_interrupted_batch(
    monkeypatch, django_capture_on_commit_callbacks, news_in_the_gard
):
    subscribers = SubscriberFactory.create_batch(7)
    issue = IssueFactory()
    monkeypatch.setattr("django.core.mail.get_connection", _dying_connection(die_after=3))
    monkeypatch.setattr("core.mail.get_connection", _dying_connection(die_after=3))
    with pytest.raises(WorkerKilled), django_capture_on_commit_callbacks(execute=True):
        services.issue_send(issue=issue)
    assert len(mail.outbox) == 3
    assert Delivery.objects.filter(issue=issue, status="sending").count() == 1  # the one that died in flight

    monkeypatch.undo()
    # The worker restarts. The resume job waits until the sending has stalled, then queues what is left.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.issues_resume() == 0  # too early: the batches may still be waiting in the queue
        assert services.issues_resume(stalled_after=timedelta(0)) == 4
    # django-q also retries the interrupted task itself: the same batch runs again and sends nothing new.
    ids = list(issue.deliveries.values_list("pk", flat=True))
    assert services.batch_send(issue_id=issue.pk, delivery_ids=ids) == {
        "sent": 0,
        "skipped": 0,
        "empty": 0,
        "failed": 0,
    }

    recipients = [message.to[0] for message in mail.outbox]
    assert sorted(recipients) == sorted(s.email for s in subscribers)  # everyone once, nobody twice so far
    # The delivery the dying worker had claimed is not ended: the issue is not "sent" yet.
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENDING
    in_flight = issue.deliveries.get(status="sending")

    # Once the claim has expired, the resume job retries it (the message may have left: at least once).
    with django_capture_on_commit_callbacks(execute=True):
        assert services.issues_resume(stalled_after=timedelta(0), claim_expires_after=timedelta(0)) == 1
    in_flight.refresh_from_db()
    assert in_flight.status == "sent" and in_flight.attempts == 2
    assert [m.to[0] for m in mail.outbox].count(in_flight.subscriber.email) == 2
    assert len(mail.outbox) == 8
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT


def test_a_claim_interrupted_twice_fails_instead_of_staying_sending(django_capture_on_commit_callbacks):
    subscriber = SubscriberFactory()
    issue = IssueFactory(status=NewsletterIssue.Status.SENDING)
    delivery = Delivery.objects.create(issue=issue, subscriber=subscriber, status="sending", attempts=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.issues_resume(stalled_after=timedelta(0), claim_expires_after=timedelta(0)) == 0
    delivery.refresh_from_db()
    issue.refresh_from_db()
    assert delivery.status == "failed" and delivery.error == "interrupted twice"
    assert issue.status == NewsletterIssue.Status.SENT  # every delivery has ended; the failure is shown


def test_progress_moves_updated_at_so_a_busy_sending_is_not_resumed(django_capture_on_commit_callbacks):
    from django.utils import timezone

    subscriber = SubscriberFactory()
    issue = IssueFactory(status=NewsletterIssue.Status.SENDING)
    delivery = Delivery.objects.create(issue=issue, subscriber=subscriber)
    Delivery.objects.filter(pk=delivery.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    services._delivery_end(delivery, Delivery.Status.EMPTY)
    delivery.refresh_from_db()
    assert timezone.now() - delivery.updated_at < timedelta(minutes=1)


def _dying_connection(*, die_after):
    from django.core.mail import get_connection as real_get_connection

    factory = DyingBackend(die_after)

    def get_connection(backend=None, fail_silently=False, **kwargs):
        connection = real_get_connection(backend, fail_silently=fail_silently, **kwargs)
        return factory(fail_silently=fail_silently) if connection else connection

    return get_connection


def test_a_hard_bounce_unsubscribes_and_is_never_written_to(
    django_capture_on_commit_callbacks, news_in_the_gard
):
    bounced = SubscriberFactory(email="ancienne@exemple.org")
    other = SubscriberFactory()
    SuppressedAddress.objects.create(email="ancienne@exemple.org", reason=SuppressedAddress.Reason.BOUNCED)
    bounced.refresh_from_db()
    assert bounced.status == Subscriber.Status.BOUNCED

    # A bounce recorded after the delivery rows exist is also honoured at sending time.
    late = SubscriberFactory(email="tardive@exemple.org")
    issue = IssueFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send(issue=issue)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([other.email, late.email])

    issue2 = IssueFactory()
    mail.outbox.clear()
    services.issue_send(issue=issue2)  # creates delivery rows; batches not run yet
    SuppressedAddress.objects.create(email="tardive@exemple.org", reason=SuppressedAddress.Reason.BOUNCED)
    Subscriber.objects.filter(pk=late.pk).update(status=Subscriber.Status.ACTIVE)  # race: bounce after claim
    services.batch_send(issue_id=issue2.pk, delivery_ids=list(issue2.deliveries.values_list("pk", flat=True)))
    assert [m.to[0] for m in mail.outbox] == [other.email]
    assert Delivery.objects.get(issue=issue2, subscriber=late).status == "skipped"
    late.refresh_from_db()
    assert late.status == Subscriber.Status.BOUNCED


def test_one_click_unsubscribe(client, django_capture_on_commit_callbacks, news_in_the_gard):
    subscriber = SubscriberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send(issue=IssueFactory())
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")
    client.handler.enforce_csrf_checks = True
    assert client.get(url).status_code == 200
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert client.post(url[:-3] + "zz/").status_code == 404


def test_preview_for_a_subscriber():
    source = SourceFactory(territory="")
    element(source, name="Tiers-lieu de Brest", departement="29")
    subscriber = SubscriberFactory(territory_code="29", topics=["alternatives"])
    issue = IssueFactory(introduction="Un **mot** de l'équipe")
    preview = services.issue_preview(issue=issue, subscriber=subscriber)
    assert "Tiers-lieu de Brest" in preview["body_html"]
    assert "<strong>mot</strong>" in preview["body_html"]
    assert "/lettre/desinscription/" in preview["body_html"]


def test_personal_data_lists_the_subscription():
    from tests.factories import UserFactory

    user = UserFactory(email="zoe@exemple.org")
    assert selectors.personal_data(user=user) == {}
    SubscriberFactory(email="zoe@exemple.org", territory_code="29")
    data = selectors.personal_data(user=user)["newsletter_subscription"]
    assert data["territory"] == "Finistère (29)" and data["status"] == "active"


def test_composition_brings_the_agenda_and_trainings_of_the_territory():
    from django.conf import settings
    from django.utils import timezone

    from wagtail.models import Page

    from agenda.models import Event
    from agenda.services.portal_events import upsert_portal_event
    from kits.models import KitIndexPage
    from tests.kits.factories import TrainingSessionFactory, add_kit

    soon = timezone.now() + timedelta(days=5)
    upsert_portal_event(
        key="test-gard",
        title="Cartopartie à Alès",
        start=soon,
        end=soon + timedelta(hours=3),
        departement="30",
    )
    upsert_portal_event(
        key="test-finistere",
        title="Marché paysan de Quimper",
        start=soon,
        end=soon + timedelta(hours=3),
        departement="29",
    )
    index = KitIndexPage(title="Kits", slug="kits-test")
    Page.objects.get(depth=2).add_child(instance=index)
    kit = add_kit(index, title="Organiser une cartopartie")
    TrainingSessionFactory(kit=kit, title="Atelier à Nîmes", kind="in_person", departement="30", start=soon)
    TrainingSessionFactory(kit=kit, title="Atelier à Brest", kind="in_person", departement="29", start=soon)
    TrainingSessionFactory(kit=kit, title="Formation à distance", kind="remote", start=soon)
    issue = IssueFactory(period_end=timezone.now())

    gard = selectors.compose(issue=issue, keys={"D30"})["D30"]

    assert [event["title"] for event in gard.events] == ["Cartopartie à Alès"]
    alès = Event.objects.get(title="Cartopartie à Alès")
    assert gard.events[0]["url"] == settings.SITE_URL.rstrip("/") + f"/agenda/evenement/{alès.pk}/"
    assert sorted(session["title"] for session in gard.trainings) == [
        "Atelier à Nîmes",
        "Formation à distance",
    ]


def test_only_http_links_from_feeds_reach_the_newsletter():
    """A feed's `website` is an outsider's text: a `javascript:` one reached the issue's HTML (issue 14)."""
    from sources.models import SourceElement

    source = SourceFactory(territory="")
    element(source, name="Piège", departement="29")
    element(source, name="Ressourcerie", departement="29")
    SourceElement.objects.filter(name="Piège").update(website="javascript:alert(document.cookie)")
    SourceElement.objects.filter(name="Ressourcerie").update(website="ressourcerie.org/brest")
    subscriber = SubscriberFactory(territory_code="29", topics=["alternatives"])
    body = services.issue_preview(issue=IssueFactory(), subscriber=subscriber)["body_html"]
    assert "Piège" in body and "javascript:" not in body
    assert '<a href="http://ressourcerie.org/brest">Ressourcerie</a>' in body
