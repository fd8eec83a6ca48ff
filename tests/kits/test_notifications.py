"""What registrants are told when they cancel, when a session changes or is cancelled: e-mails in their
language with an .ics (same UID as the invitation, higher SEQUENCE), and reminders that follow the time."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

import pytest
from icalendar import Calendar

from kits import tasks
from kits.models import Registration, TrainingSession
from kits.selectors import session_when
from kits.services import registration_cancel, registration_create, session_send_due_reminders
from tests.factories import UserFactory
from tests.kits.factories import RegistrationFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db


def ics_event(message, method):
    """The VEVENT of the message's single .ics attachment, checking the file's METHOD."""
    [(name, content, mimetype)] = message.attachments
    assert name == "formation.ics" and mimetype == f"text/calendar; method={method}; charset=utf-8"
    calendar = Calendar.from_ical(content)
    assert calendar["method"] == method
    [event] = calendar.walk("VEVENT")
    return event


def mail_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def register(session, user, capture):
    with capture(execute=True):
        return registration_create(session=session, user=user)


def edit(session, capture, **fields):
    """Change a session the way any code path does (the admin included): set fields and save."""
    session = TrainingSession.objects.get(pk=session.pk)
    for name, value in fields.items():
        setattr(session, name, value)
    with capture(execute=True):
        session.save()
    return session


# ---------------------------------------------------------------------------------------------------------
# A person cancels
# ---------------------------------------------------------------------------------------------------------


def test_cancelling_a_seat_sends_a_calendar_cancellation_and_promotes_with_an_invitation(
    kit, django_capture_on_commit_callbacks
):
    session = TrainingSessionFactory(kit=kit, capacity=1)
    leaving, next_in_line = UserFactory(), UserFactory()
    registration = register(session, leaving, django_capture_on_commit_callbacks)
    register(session, next_in_line, django_capture_on_commit_callbacks)
    invitation = ics_event(mail_to(leaving)[0], "REQUEST")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        promoted = registration_cancel(registration=registration)

    [confirmation] = mail_to(leaving)
    assert confirmation.subject.endswith("Inscription annulée : Prise en main de GoGoCarto")
    assert "votre place est libérée" in confirmation.body
    assert "votre place est libérée" in confirmation.alternatives[0][0]
    cancel = ics_event(confirmation, "CANCEL")
    assert str(cancel["uid"]) == str(invitation["uid"]) == f"kits-session-{session.pk}@transiscope.org"
    assert cancel["sequence"] > invitation["sequence"]
    assert cancel["status"] == "CANCELLED"
    assert "salle-secrete" not in str(cancel["description"])  # no seat, no visio link
    registration.refresh_from_db()
    assert registration.ics_sequence == cancel["sequence"]  # stored: survives a restart

    # the person promoted from the waiting list gets their confirmation, with the invitation
    [promotion] = mail_to(next_in_line)
    assert promoted.user == next_in_line and "place s’est libérée" in promotion.subject
    promoted_invitation = ics_event(promotion, "REQUEST")
    assert str(promoted_invitation["uid"]) == str(invitation["uid"])
    assert promoted_invitation["status"] == "CONFIRMED"
    assert promoted_invitation.decoded("dtstart") == session.start
    assert "salle-secrete" in str(promoted_invitation["description"])
    assert len(mail.outbox) == 2


def test_registering_again_after_cancelling_sends_a_newer_invitation(kit, django_capture_on_commit_callbacks):
    session = TrainingSessionFactory(kit=kit)
    person = UserFactory()
    registration = register(session, person, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=registration)
    register(session, person, django_capture_on_commit_callbacks)
    first, cancel, again = (
        ics_event(m, method) for m, method in zip(mail.outbox, ["REQUEST", "CANCEL", "REQUEST"], strict=True)
    )
    assert first["sequence"] < cancel["sequence"] < again["sequence"]
    assert again["status"] == "CONFIRMED"


def test_leaving_the_waiting_list_is_confirmed_without_a_calendar_file(
    kit, django_capture_on_commit_callbacks
):
    session = TrainingSessionFactory(kit=kit, capacity=1)
    register(session, UserFactory(), django_capture_on_commit_callbacks)
    waiting = register(session, UserFactory(), django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert registration_cancel(registration=waiting) is None
    [message] = mail.outbox
    assert message.to == [waiting.user.email] and message.attachments == []
    assert "quitté la liste d’attente" in message.body
    # cancelling twice writes nothing more
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=waiting)
    assert len(mail.outbox) == 1


def test_cancelling_through_the_e_mail_link_sends_the_confirmation(
    client, session, django_capture_on_commit_callbacks
):
    registration = register(session, UserFactory(), django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("kits:registration_cancel", kwargs={"token": registration.cancel_token})
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert ics_event(message, "CANCEL")["status"] == "CANCELLED"


def test_an_english_speaker_is_told_in_english(kit, django_capture_on_commit_callbacks):
    session = TrainingSessionFactory(kit=kit)
    person = UserFactory(preferred_language="en")
    registration = register(session, person, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=registration)
    message = mail.outbox[-1]
    assert message.subject.endswith("Registration cancelled: Prise en main de GoGoCarto")
    assert "your seat is free for someone else" in message.body
    with translation.override("en"):
        english_when = session_when(session)
    with translation.override("fr"):
        french_when = session_when(session)
    assert english_when != french_when
    assert english_when in message.body and french_when not in message.body
    assert 'lang="en"' in message.alternatives[0][0]

    register(session, person, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    edit(session, django_capture_on_commit_callbacks, location="Salle des fêtes", kind="in_person")
    [update] = mail_to(person)
    assert update.subject.endswith("Session changed: Prise en main de GoGoCarto")
    assert "Salle des fêtes – new place" in update.body


# ---------------------------------------------------------------------------------------------------------
# Staff change a session
# ---------------------------------------------------------------------------------------------------------


def test_moving_a_session_in_the_admin_updates_confirmed_registrants_and_tells_the_waiting_list(
    client, kit, django_capture_on_commit_callbacks
):
    session = TrainingSessionFactory(kit=kit, capacity=2)
    confirmed = [UserFactory(), UserFactory(preferred_language="en")]
    waiting, gone = UserFactory(), UserFactory()
    for person in [*confirmed, waiting]:
        register(session, person, django_capture_on_commit_callbacks)
    RegistrationFactory(session=session, user=gone, status="cancelled")
    invitations = {person.pk: ics_event(mail_to(person)[0], "REQUEST") for person in confirmed}
    mail.outbox.clear()

    new_start = session.start + timedelta(days=2, hours=1)
    new_end = new_start + timedelta(hours=3)
    client.force_login(UserFactory(staff=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailsnippets_kits_trainingsession:edit", args=[session.pk]),
            {
                "kit": kit.pk,
                "title": session.title,
                "kind": "remote",
                "description": "",
                "start": timezone.localtime(new_start).strftime("%Y-%m-%d %H:%M"),
                "end": timezone.localtime(new_end).strftime("%Y-%m-%d %H:%M"),
                "capacity": 2,
                "trainer": session.trainer_id,
                "visio_url": session.visio_url,
                "location": "",
                "departement": "",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]

    for person in confirmed:
        [message] = mail_to(person)
        event = ics_event(message, "REQUEST")
        assert str(event["uid"]) == str(invitations[person.pk]["uid"])
        assert event["sequence"] > invitations[person.pk]["sequence"]
        assert event["status"] == "CONFIRMED"
        assert event.decoded("dtstart") == new_start and event.decoded("dtend") == new_end
        assert "salle-secrete" in str(event["description"])
        with translation.override(person.preferred_language):
            assert session_when(TrainingSession.objects.get(pk=session.pk)) in message.body
    assert "Session modifiée" in mail_to(confirmed[0])[0].subject
    assert "nouvel horaire" in mail_to(confirmed[0])[0].body
    assert "new time" in mail_to(confirmed[1])[0].body

    [notice] = mail_to(waiting)
    assert notice.attachments == [] and "Nouvel horaire" in notice.subject
    assert "Vous restez sur la liste d’attente" in notice.body
    assert mail_to(gone) == []
    assert len(mail.outbox) == 3

    # the version is stored, and a second run of the task (retried, or two edits in a row) writes nothing
    session.refresh_from_db()
    assert session.ics_sequence >= 1
    assert tasks.notify_session_change(session.pk, ["time"]) == 0
    assert len(mail.outbox) == 3


def test_an_edit_registrants_do_not_care_about_sends_nothing(
    client, session, django_capture_on_commit_callbacks
):
    person = UserFactory()
    register(session, person, django_capture_on_commit_callbacks)
    register(session, UserFactory(), django_capture_on_commit_callbacks)
    mail.outbox.clear()
    client.force_login(UserFactory(staff=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailsnippets_kits_trainingsession:edit", args=[session.pk]),
            {
                "kit": session.kit_id,
                "title": "Un autre titre",
                "kind": session.kind,
                "description": "Une description toute neuve.",
                "start": timezone.localtime(session.start).strftime("%Y-%m-%d %H:%M"),
                "end": timezone.localtime(session.end).strftime("%Y-%m-%d %H:%M"),
                "capacity": session.capacity,
                "trainer": session.trainer_id,
                "visio_url": session.visio_url,
                "location": "",
                "departement": "30",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    session.refresh_from_db()
    assert session.description == "Une description toute neuve."
    assert session.ics_sequence == 0
    assert mail.outbox == []


def test_times_are_compared_to_the_minute_the_admin_shows(kit, django_capture_on_commit_callbacks):
    session = TrainingSessionFactory(kit=kit)
    TrainingSession.objects.filter(pk=session.pk).update(start=session.start + timedelta(seconds=42))
    RegistrationFactory(session=session)
    edit(session, django_capture_on_commit_callbacks, start=session.start)  # seconds dropped
    assert mail.outbox == []


def test_a_new_visio_link_goes_to_confirmed_people_only(kit, django_capture_on_commit_callbacks):
    session = TrainingSessionFactory(kit=kit, capacity=1)
    seated = register(session, UserFactory(), django_capture_on_commit_callbacks)
    register(session, UserFactory(), django_capture_on_commit_callbacks)
    mail.outbox.clear()
    edit(session, django_capture_on_commit_callbacks, visio_url="https://visio.exemple.org/nouvelle-salle")
    [message] = mail.outbox
    assert message.to == [seated.user.email]
    assert "https://visio.exemple.org/nouvelle-salle – nouveau lien" in message.body
    assert "nouvelle-salle" in str(ics_event(message, "REQUEST")["description"])


def test_editing_a_finished_session_sends_nothing(kit, django_capture_on_commit_callbacks):
    start = timezone.now() - timedelta(days=2)
    session = TrainingSessionFactory(kit=kit, start=start)
    RegistrationFactory(session=session)
    edit(session, django_capture_on_commit_callbacks, end=start + timedelta(hours=3), location="Ailleurs")
    assert mail.outbox == []


def test_reminders_follow_the_new_time_and_go_once(kit, django_capture_on_commit_callbacks):
    now = timezone.now()
    session = TrainingSessionFactory(
        kit=kit, capacity=1, start=(now + timedelta(hours=20)).replace(second=0, microsecond=0)
    )
    registration = RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session, status="waiting")
    assert session_send_due_reminders(now=now) == 1  # the 24 h one, for the old time

    # a new place is not a new time: the reminder already sent stays sent
    session = edit(session, django_capture_on_commit_callbacks, kind="in_person", location="Tiers-lieu")
    assert session_send_due_reminders(now=now) == 0

    new_start = session.start + timedelta(days=3)
    session = edit(
        session, django_capture_on_commit_callbacks, start=new_start, end=new_start + timedelta(hours=2)
    )
    registration.refresh_from_db()
    assert registration.reminder_24h_sent_at is None and registration.reminder_1h_sent_at is None
    mail.outbox.clear()

    assert session_send_due_reminders(now=now) == 0  # not due for the new time yet
    day_before = new_start - timedelta(hours=23)
    assert session_send_due_reminders(now=day_before) == 1
    assert session_send_due_reminders(now=day_before + timedelta(minutes=5)) == 0
    hour_before = new_start - timedelta(minutes=50)
    assert session_send_due_reminders(now=hour_before) == 1
    assert session_send_due_reminders(now=hour_before + timedelta(minutes=5)) == 0
    assert [m.subject.split("] ")[-1] for m in mail.outbox] == [
        "Demain : Prise en main de GoGoCarto",
        "Dans une heure : Prise en main de GoGoCarto",
    ]
    assert all(m.to == [registration.user.email] for m in mail.outbox)
    with translation.override("fr"):
        assert session_when(session) in mail.outbox[0].body
    waiting.refresh_from_db()
    assert waiting.reminder_24h_sent_at is None  # promoted later, they still get their reminders


def test_moving_a_session_within_a_day_counts_the_change_e_mail_as_the_day_before_reminder(
    kit, django_capture_on_commit_callbacks
):
    now = timezone.now()
    session = TrainingSessionFactory(kit=kit, start=now + timedelta(days=3))
    registration = RegistrationFactory(session=session)
    new_start = now + timedelta(hours=6)
    edit(session, django_capture_on_commit_callbacks, start=new_start, end=new_start + timedelta(hours=2))
    assert len(mail_to(registration.user)) == 1  # the change itself
    assert session_send_due_reminders(now=timezone.now()) == 0
    assert session_send_due_reminders(now=new_start - timedelta(minutes=30)) == 1
    assert "Dans une heure" in mail.outbox[-1].subject


def test_cancelling_then_restoring_a_session(kit, django_capture_on_commit_callbacks):
    session = TrainingSessionFactory(kit=kit, capacity=1)
    seated, waiting = UserFactory(), UserFactory()
    register(session, seated, django_capture_on_commit_callbacks)
    register(session, waiting, django_capture_on_commit_callbacks)
    invitation = ics_event(mail_to(seated)[0], "REQUEST")
    mail.outbox.clear()

    session = edit(session, django_capture_on_commit_callbacks, is_cancelled=True)
    [news] = mail_to(seated)
    assert "Session annulée" in news.subject and "est annulée" in news.body
    cancel = ics_event(news, "CANCEL")
    assert str(cancel["uid"]) == str(invitation["uid"])
    assert cancel["sequence"] > invitation["sequence"] and cancel["status"] == "CANCELLED"
    [notice] = mail_to(waiting)
    assert "Session annulée" in notice.subject and notice.attachments == []
    assert session_send_due_reminders(now=session.start - timedelta(minutes=30)) == 0

    # editing a cancelled session tells nobody again
    mail.outbox.clear()
    session = edit(session, django_capture_on_commit_callbacks, location="Ailleurs", kind="in_person")
    assert mail.outbox == []

    session = edit(session, django_capture_on_commit_callbacks, is_cancelled=False)
    [back] = mail_to(seated)
    assert "Session maintenue" in back.subject
    restored = ics_event(back, "REQUEST")
    assert restored["sequence"] > cancel["sequence"] and restored["status"] == "CONFIRMED"
    assert "a finalement lieu" in mail_to(waiting)[0].body
    assert Registration.objects.get(user=seated).status == "confirmed"


def test_a_change_outnumbers_every_sequence_sent_before(kit, django_capture_on_commit_callbacks):
    session = TrainingSessionFactory(kit=kit)
    person = UserFactory()
    registration = register(session, person, django_capture_on_commit_callbacks)
    for _ in range(2):  # cancel and come back twice: this person's numbers run ahead of the session's
        with django_capture_on_commit_callbacks(execute=True):
            registration_cancel(registration=registration)
        register(session, person, django_capture_on_commit_callbacks)
    last = ics_event(mail.outbox[-1], "REQUEST")["sequence"]
    edit(session, django_capture_on_commit_callbacks, location="Salle B", kind="in_person")
    assert ics_event(mail.outbox[-1], "REQUEST")["sequence"] > last
