from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest

from accounts import roles
from core.errors import NotAllowed
from kits.models import KitProgress, OneToOneRequest
from kits.services import (
    attendance_mark,
    kit_mark_done,
    kit_notify_new_version,
    kit_step_set,
    one_to_one_note_add,
    one_to_one_request_create,
    session_send_due_reminders,
    session_sync_agenda,
)
from tests.factories import UserFactory
from tests.kits.factories import RegistrationFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db


def test_reminders_24h_and_1h_are_sent_once(kit):
    now = timezone.now()
    session = TrainingSessionFactory(kit=kit, start=now + timedelta(hours=20))
    registration = RegistrationFactory(session=session)
    RegistrationFactory(session=session, status="waiting")
    RegistrationFactory(session=session, status="cancelled")
    far = RegistrationFactory(session=TrainingSessionFactory(kit=kit, start=now + timedelta(days=5)))

    assert session_send_due_reminders(now=now) == 1
    assert session_send_due_reminders(now=now) == 0  # once
    assert mail.outbox[0].to == [registration.user.email]
    assert "Demain" in mail.outbox[0].subject and "salle-secrete" in mail.outbox[0].body

    assert session_send_due_reminders(now=now + timedelta(hours=19, minutes=30)) == 1
    assert "Dans une heure" in mail.outbox[1].subject
    assert session_send_due_reminders(now=now + timedelta(hours=19, minutes=45)) == 0
    registration.refresh_from_db()
    assert registration.reminder_24h_sent_at and registration.reminder_1h_sent_at
    far.refresh_from_db()
    assert far.reminder_24h_sent_at is None
    assert len(mail.outbox) == 2


def test_a_late_registration_gets_only_the_1h_reminder(kit):
    now = timezone.now()
    registration = RegistrationFactory(
        session=TrainingSessionFactory(kit=kit, start=now + timedelta(minutes=40))
    )
    assert session_send_due_reminders(now=now) == 1
    assert "Dans une heure" in mail.outbox[0].subject and mail.outbox[0].to == [registration.user.email]
    assert session_send_due_reminders(now=now) == 0


def test_reminder_schedule_exists():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name="kits: rappels des formations")
    assert schedule.func == "kits.tasks.send_session_reminders" and schedule.minutes == 5


def test_progress_ticks_steps_and_marks_done(kit):
    person = UserFactory()
    first, second = kit.step_ids()
    kit_step_set(user=person, kit=kit, step_id=first, done=True)
    kit_step_set(user=person, kit=kit, step_id=first, done=True)
    progress = kit_step_set(user=person, kit=kit, step_id=second, done=True)
    assert progress.done_steps == [first, second]
    progress = kit_step_set(user=person, kit=kit, step_id=first, done=False)
    assert progress.done_steps == [second]
    with pytest.raises(ValueError):
        kit_step_set(user=person, kit=kit, step_id="inconnue", done=True)
    progress = kit_mark_done(user=person, kit=kit)
    assert progress.completed_at and progress.completed_version == 1
    assert set(progress.done_steps) == {first, second}
    assert KitProgress.objects.count() == 1


def test_new_version_tells_completers_what_changed_once(kit, django_capture_on_commit_callbacks):
    done_v1, unfinished = UserFactory(), UserFactory()
    kit_mark_done(user=done_v1, kit=kit)
    kit_step_set(user=unfinished, kit=kit, step_id=kit.step_ids()[0], done=True)
    kit.version = 2
    kit.changes.create(version=2, description="Nouvelle fiche sur l'accessibilité des lieux.")
    with django_capture_on_commit_callbacks(execute=True):
        kit.save_revision().publish()  # the page_published signal queues the notice (sync in tests)
    assert [m.to for m in mail.outbox] == [[done_v1.email]]
    assert "accessibilité des lieux" in mail.outbox[0].body and "v2" in mail.outbox[0].subject
    assert kit_notify_new_version(kit=kit) == 0
    kit_mark_done(user=done_v1, kit=kit)
    assert KitProgress.objects.get(user=done_v1).completed_version == 2


def test_attendance_is_marked_by_the_trainer_only(session):
    present = RegistrationFactory(session=session)
    absent = RegistrationFactory(session=session)
    with pytest.raises(NotAllowed):
        attendance_mark(session=session, by=present.user, present_ids={present.pk})
    assert attendance_mark(session=session, by=session.trainer, present_ids={present.pk}) == 1
    present.refresh_from_db()
    absent.refresh_from_db()
    assert present.attended is True and absent.attended is False


def test_one_to_one_request_reaches_the_group_in_charge(django_capture_on_commit_callbacks):
    communication = UserFactory(roles=[roles.COMMUNICATION_GROUP])
    UserFactory(roles=[roles.SOURCE_MAINTAINER])
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        request = one_to_one_request_create(
            user=person, topic="ambassador", message="Je veux relayer la carte."
        )
    assert [m.to for m in mail.outbox] == [[communication.email]]
    assert request.status == OneToOneRequest.Status.NEW
    note = one_to_one_note_add(request=request, by=communication, text="Appel prévu mardi.")
    assert note.author == communication
    with pytest.raises(NotAllowed):
        one_to_one_note_add(request=request, by=person, text="Je peux lire les notes ?")


def test_sessions_are_published_on_the_aggregated_agenda(kit, django_capture_on_commit_callbacks):
    from agenda.models import Event

    with django_capture_on_commit_callbacks(execute=True):  # the post_save signal queues the sync
        session = TrainingSessionFactory(kit=kit, kind="in_person", location="Tiers-lieu La Verrerie, Alès",
                                         departement="30")  # fmt: skip
    event = Event.objects.get(uid=f"kits-session-{session.pk}")
    assert event.title == "Prise en main de GoGoCarto" and event.start == session.start
    assert event.departement == "30" and event.url.endswith(f"/kits/formations/{session.pk}/")
    session.is_cancelled = True
    session.save()
    session_sync_agenda(session=session)
    event.refresh_from_db()
    assert event.removed_at is not None
