import threading
import time
from datetime import timedelta

from django.core import mail
from django.db import OperationalError, connection
from django.utils import timezone

import pytest
from icalendar import Calendar

from kits.models import Registration
from kits.services import (
    RegistrationClosed,
    registration_cancel,
    registration_create,
    session_capacity_changed,
)
from tests.factories import UserFactory
from tests.kits.factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db


def test_seats_then_waiting_list_then_promotion_on_cancel(session, django_capture_on_commit_callbacks):
    people = [UserFactory() for _ in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        registrations = [registration_create(session=session, user=person) for person in people]
    assert [r.status for r in registrations] == ["confirmed"] * 3 + ["waiting"] * 2
    assert len(mail.outbox) == 5
    assert "Liste d’attente" in mail.outbox[3].subject
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        promoted = registration_cancel(registration=registrations[1])
    assert promoted.pk == registrations[3].pk  # first in line
    assert Registration.objects.get(pk=registrations[3].pk).status == "confirmed"
    assert Registration.objects.get(pk=registrations[4].pk).status == "waiting"
    assert session.registrations.filter(status="confirmed").count() == 3
    # the person who left gets a confirmation, the first in line their seat
    assert [m.to for m in mail.outbox] == [[people[1].email], [people[3].email]]
    assert "Inscription annulée" in mail.outbox[0].subject
    assert "place s’est libérée" in mail.outbox[1].subject

    # leaving the waiting list frees nothing
    assert registration_cancel(registration=registrations[4]) is None
    # cancelling twice is harmless
    assert registration_cancel(registration=registrations[1]) is None


def test_registering_twice_keeps_one_registration_and_reregistering_goes_to_the_end(session):
    first, second = UserFactory(), UserFactory()
    registration = registration_create(session=session, user=first)
    assert registration_create(session=session, user=first).pk == registration.pk
    registration_cancel(registration=registration)
    registration_create(session=session, user=second)
    again = registration_create(session=session, user=first)
    assert again.pk == registration.pk and again.status == "confirmed"
    assert session.registrations.count() == 2


def test_closed_sessions_refuse_registrations(kit):
    past = TrainingSessionFactory(kit=kit, start=timezone.now() - timedelta(hours=1))
    cancelled = TrainingSessionFactory(kit=kit, is_cancelled=True)
    for closed in (past, cancelled):
        with pytest.raises(RegistrationClosed):
            registration_create(session=closed, user=UserFactory())


def test_raising_capacity_promotes_the_waiting_list(session):
    people = [UserFactory() for _ in range(5)]
    for person in people:
        registration_create(session=session, user=person)
    session.capacity = 4
    session.save()
    promoted = session_capacity_changed(session=session)
    assert [r.user for r in promoted] == [people[3]]
    assert session.registrations.filter(status="confirmed").count() == 4


def test_confirmation_has_an_ics_invitation_and_a_cancel_link(session, django_capture_on_commit_callbacks):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        registration = registration_create(session=session, user=person)
    message = mail.outbox[0]
    assert message.to == [person.email]
    assert f"http://testserver/kits/inscriptions/{registration.cancel_token}/annuler/" in message.body
    name, content, mimetype = message.attachments[0]
    assert name == "formation.ics" and mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    assert calendar["method"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["summary"]) == "Prise en main de GoGoCarto"
    assert event.decoded("dtstart") == session.start
    assert event.decoded("dtend") == session.end
    assert "https://visio.exemple.org/salle-secrete" in str(event["description"])
    assert event["dtstart"].params["TZID"] == "Europe/Paris"
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Europe/Paris"
    assert str(event["uid"]) == f"kits-session-{session.pk}@transiscope.org"


def _race(session, people):
    barrier = threading.Barrier(len(people))
    results, errors = [], []

    def register(person):
        try:
            barrier.wait(timeout=10)
            for _attempt in range(500):
                try:
                    results.append(registration_create(session=session, user=person).status)
                    break
                except OperationalError as error:
                    # The test database is SQLite's shared-cache memory database, which answers "table is
                    # locked" at once instead of waiting like a file database's busy timeout: wait here.
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.01)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keep the migrations' home page
def test_concurrent_registrations_for_the_last_seat_never_overbook(kit):
    session = TrainingSessionFactory(kit=kit, capacity=3)
    for _ in range(2):
        registration_create(session=session, user=UserFactory())
    racers = [UserFactory() for _ in range(6)]
    results, errors = _race(session, racers)
    assert errors == []
    assert sorted(results) == ["confirmed"] + ["waiting"] * 5
    assert session.registrations.filter(status="confirmed").count() == 3
    assert session.registrations.filter(status="waiting").count() == 5


def test_deleting_an_account_gives_its_seat_to_the_waiting_list(session, django_capture_on_commit_callbacks):
    from accounts.services import account_delete

    people = [UserFactory() for _ in range(4)]  # the session has 3 seats: the fourth waits
    registrations = [registration_create(session=session, user=person) for person in people]
    assert registrations[3].status == "waiting"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=people[0])
    assert not Registration.objects.filter(pk=registrations[0].pk).exists()
    assert Registration.objects.get(pk=registrations[3].pk).status == "confirmed"
    assert session.registrations.filter(status="confirmed").count() == 3
    # the first in line hears about the seat; the deleted account is not written to
    assert [m.to for m in mail.outbox] == [[people[3].email]]
