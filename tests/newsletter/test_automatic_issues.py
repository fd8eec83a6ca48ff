from datetime import date, datetime, timedelta

from django.core import mail
from django.utils import timezone

import pytest

from accounts import roles
from newsletter import periods, selectors, services, tasks
from newsletter.models import Delivery, NewsletterIssue, PreparedPeriod
from tests.factories import UserFactory
from tests.newsletter.factories import IssueFactory, SubscriberFactory, element
from tests.stories.factories import SourceFactory

pytestmark = pytest.mark.django_db

# Monday 7 December 2026, 07:00 in Paris: the week of 30 November and the month of November are due.
MONDAY = datetime(2026, 12, 7, 7, 0, tzinfo=periods.PARIS)


def test_the_hourly_schedule_exists():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name="newsletter: automatic issues")
    assert (schedule.func, schedule.schedule_type, schedule.repeats) == (
        "newsletter.tasks.automatic_issues",
        Schedule.HOURLY,
        -1,
    )
    assert callable(tasks.automatic_issues)


def test_each_period_gets_one_draft_however_often_the_task_runs():
    prepared = services.automatic_issues_prepare(now=MONDAY)
    assert sorted(issue.frequency for issue in prepared) == ["monthly", "weekly"]
    weekly = NewsletterIssue.objects.get(frequency="weekly")
    assert weekly.status == NewsletterIssue.Status.DRAFT and weekly.created_automatically
    assert weekly.period_start == datetime(2026, 11, 30, tzinfo=periods.PARIS)
    assert weekly.period_end == datetime(2026, 12, 7, tzinfo=periods.PARIS)
    assert weekly.title == "La lettre de Transiscope — semaine du 30 novembre au 6 décembre 2026"
    monthly = NewsletterIssue.objects.get(frequency="monthly")
    assert monthly.title == "La lettre de Transiscope — novembre 2026"
    assert (monthly.period_start, monthly.period_end) == (
        datetime(2026, 11, 1, tzinfo=periods.PARIS),
        datetime(2026, 12, 1, tzinfo=periods.PARIS),
    )

    assert services.automatic_issues_prepare(now=MONDAY) == []
    assert services.automatic_issues_prepare(now=MONDAY + timedelta(hours=5)) == []
    assert NewsletterIssue.objects.count() == 2

    # An editor deletes the weekly draft: it is not prepared again.
    weekly.delete()
    assert services.automatic_issues_prepare(now=MONDAY + timedelta(hours=1)) == []
    assert not NewsletterIssue.objects.filter(frequency="weekly").exists()

    # The next Monday morning brings the next week.
    (next_week,) = services.automatic_issues_prepare(now=MONDAY + timedelta(days=7))
    assert next_week.frequency == "weekly"
    assert next_week.period_start == datetime(2026, 12, 7, tzinfo=periods.PARIS)
    assert PreparedPeriod.objects.count() == 3


def test_the_task_itself_is_idempotent():
    first = tasks.automatic_issues()
    assert len(first["prepared"]) == 2 and first["sent"] == []
    assert tasks.automatic_issues() == {"prepared": [], "sent": []}
    assert NewsletterIssue.objects.count() == 2


def test_an_issue_prepared_by_hand_for_the_period_is_not_doubled():
    IssueFactory(
        frequency="monthly",
        period_start=datetime(2026, 11, 1, tzinfo=periods.PARIS),
        period_end=datetime(2026, 12, 2, 9, 0, tzinfo=periods.PARIS),
    )
    prepared = services.automatic_issues_prepare(now=MONDAY)
    assert [issue.frequency for issue in prepared] == ["weekly"]
    assert NewsletterIssue.objects.filter(frequency="monthly").count() == 1


def test_an_issue_by_hand_covering_the_start_of_the_period_moves_the_start():
    IssueFactory(
        frequency="monthly",
        period_start=datetime(2026, 10, 5, 12, 0, tzinfo=periods.PARIS),
        period_end=datetime(2026, 11, 5, 12, 0, tzinfo=periods.PARIS),
    )
    services.automatic_issues_prepare(now=MONDAY)
    automatic = NewsletterIssue.objects.get(frequency="monthly", created_automatically=True)
    assert automatic.period_start == datetime(2026, 11, 5, 12, 0, tzinfo=periods.PARIS)
    assert automatic.period_end == datetime(2026, 12, 1, tzinfo=periods.PARIS)


def test_the_communication_group_is_told_in_its_language(settings):
    settings.NEWSLETTER_AUTO_SEND_AFTER_HOURS = None
    french = UserFactory(email="com.fr@exemple.org", roles=[roles.COMMUNICATION_GROUP])
    english = UserFactory(
        email="com.en@exemple.org", preferred_language="en", roles=[roles.COMMUNICATION_GROUP]
    )
    UserFactory(email="autre@exemple.org")  # not in the group
    UserFactory(email="parti@exemple.org", is_active=False, roles=[roles.COMMUNICATION_GROUP])
    SubscriberFactory.create_batch(3, frequency="weekly")
    SubscriberFactory(frequency="monthly")

    services.automatic_issues_prepare(now=MONDAY)

    weekly = NewsletterIssue.objects.get(frequency="weekly")
    to_french = [m for m in mail.outbox if m.to == [french.email]]
    to_english = [m for m in mail.outbox if m.to == [english.email]]
    assert len(mail.outbox) == 4 and len(to_french) == 2 and len(to_english) == 2  # two issues each
    message = next(m for m in to_french if weekly.title in m.subject)
    assert message.subject.endswith(f"Brouillon prêt : {weekly.title}")
    assert f"http://testserver/admin/snippets/newsletter/newsletterissue/edit/{weekly.pk}/" in message.body
    assert f"http://testserver/admin/lettre/numeros/{weekly.pk}/apercu/" in message.body
    assert "3 abonné·es confirmé·es pourront le recevoir" in message.body
    assert "Il ne partira que quand vous l'enverrez." in message.body
    html = message.alternatives[0].content
    assert f'href="http://testserver/admin/lettre/numeros/{weekly.pk}/apercu/"' in html
    message_en = next(m for m in to_english if weekly.title in m.subject)
    assert "Draft ready" in message_en.subject
    assert "3 confirmed subscribers can receive it" in message_en.body


def test_the_group_e_mail_says_when_the_draft_will_leave(settings):
    settings.NEWSLETTER_AUTO_SEND_AFTER_HOURS = 48
    UserFactory(email="com@exemple.org", roles=[roles.COMMUNICATION_GROUP])
    services.automatic_issues_prepare(now=MONDAY)
    assert all("partira tout seul le" in message.body for message in mail.outbox)


def _age(issue, hours):
    """The draft was prepared `hours` ago (created_at is set by the database)."""
    NewsletterIssue.objects.filter(pk=issue.pk).update(created_at=timezone.now() - timedelta(hours=hours))


def old_source():
    """A source that joined long ago: not news any more."""
    return SourceFactory(territory="", joined_on=date(2020, 1, 1))


@pytest.fixture
def weekly_draft():
    source = old_source()
    element(source, name="Ressourcerie d'Alès", departement="30", days_ago=1)
    SubscriberFactory(frequency="weekly", email="gard@exemple.org", territory_code="30")
    SubscriberFactory(frequency="weekly", email="creuse@exemple.org", territory_code="23")  # nothing new
    issue = IssueFactory(frequency="weekly", created_automatically=True)
    return issue


def test_an_automatic_draft_leaves_after_the_delay_through_the_real_sending_path(
    settings, weekly_draft, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    settings.NEWSLETTER_AUTO_SEND_AFTER_HOURS = 24
    _age(weekly_draft, hours=23)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.automatic_issues_send_due() == []  # not before
    assert mail.outbox == []
    weekly_draft.refresh_from_db()
    assert weekly_draft.status == NewsletterIssue.Status.DRAFT

    _age(weekly_draft, hours=24.1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.automatic_issues_send_due() == [weekly_draft.pk]
    (message,) = mail.outbox  # the Creuse had nothing new: no e-mail
    assert message.to == ["gard@exemple.org"] and "Ressourcerie d'Alès" in message.body
    assert message.anymail_test_params["tags"] == ["newsletter"]  # went through anymail
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    weekly_draft.refresh_from_db()
    assert weekly_draft.status == NewsletterIssue.Status.SENT and weekly_draft.recipient_count == 2
    assert selectors.delivery_counts(issue=weekly_draft) == {"sent": 1, "empty": 1}

    with django_capture_on_commit_callbacks(execute=True):
        assert services.automatic_issues_send_due() == []  # sent once
    assert len(mail.outbox) == 1


def test_nothing_leaves_by_itself_when_the_setting_is_off(settings, weekly_draft):
    settings.NEWSLETTER_AUTO_SEND_AFTER_HOURS = None
    _age(weekly_draft, hours=24 * 30)
    assert services.automatic_issues_send_due() == []
    assert selectors.auto_send_at(issue=weekly_draft) is None


def test_a_held_draft_and_drafts_written_by_hand_are_not_sent(
    settings, client, weekly_draft, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_AUTO_SEND_AFTER_HOURS = 24
    by_hand = IssueFactory(frequency="weekly")
    _age(by_hand, hours=100)
    # An editor of the communication group holds the automatic draft from the admin.
    editor = UserFactory(roles=[roles.COMMUNICATION_GROUP])
    client.force_login(editor)
    send_page = client.get(f"/admin/lettre/numeros/{weekly_draft.pk}/envoi/").content.decode()
    assert "partira tout seul le" in send_page
    edit_url = f"/admin/snippets/newsletter/newsletterissue/edit/{weekly_draft.pk}/"
    response = client.post(
        edit_url,
        {
            "title": weekly_draft.title,
            "frequency": "weekly",
            "introduction": "Relu.",
            "period_start": timezone.localtime(weekly_draft.period_start).strftime("%Y-%m-%d %H:%M"),
            "period_end": timezone.localtime(weekly_draft.period_end).strftime("%Y-%m-%d %H:%M"),
            "held": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    weekly_draft.refresh_from_db()
    assert weekly_draft.held and weekly_draft.introduction == "Relu."
    assert "retenu" in client.get(f"/admin/lettre/numeros/{weekly_draft.pk}/envoi/").content.decode()

    _age(weekly_draft, hours=100)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.automatic_issues_send_due() == []
    assert mail.outbox == []
    weekly_draft.refresh_from_db()
    assert weekly_draft.status == NewsletterIssue.Status.DRAFT

    # The editor may still send it by hand.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/lettre/numeros/{weekly_draft.pk}/envoi/")
    assert [m.to for m in mail.outbox] == [["gard@exemple.org"]]


def test_an_empty_subscriber_gets_no_e_mail_but_a_recorded_delivery(django_capture_on_commit_callbacks):
    source = old_source()
    element(source, name="Tiers-lieu de Brest", departement="29")
    finistere = SubscriberFactory(territory_code="29")
    stories_only = SubscriberFactory(territory_code="29", topics=["stories"])  # nothing new in its topics
    creuse = SubscriberFactory(territory_code="23")
    issue = IssueFactory()

    assert services.issue_preview(issue=issue, subscriber=creuse)["empty"] is True
    assert services.issue_preview(issue=issue, subscriber=finistere)["empty"] is False
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send(issue=issue)

    assert [m.to for m in mail.outbox] == [[finistere.email]]
    statuses = dict(Delivery.objects.filter(issue=issue).values_list("subscriber__email", "status"))
    assert statuses == {finistere.email: "sent", stories_only.email: "empty", creuse.email: "empty"}
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT


def test_the_admin_preview_warns_about_an_empty_subscriber(client):
    SubscriberFactory(email="creuse@exemple.org", territory_code="23")
    issue = IssueFactory()
    client.force_login(UserFactory(staff=True))
    page = client.get(f"/admin/lettre/numeros/{issue.pk}/apercu/", {"email": "creuse@exemple.org"})
    assert "ne recevra pas ce numéro" in page.content.decode()
