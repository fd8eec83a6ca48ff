import csv
import io
from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest
from icalendar import Calendar

from accounts import roles
from kits.models import OneToOneRequest, Registration
from tests.factories import UserFactory
from tests.kits.factories import RegistrationFactory, TrainingSessionFactory
from tests.sources.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_visio_link_is_shown_to_registered_people_only(client, session):
    url = session.get_absolute_url()
    secret = "salle-secrete"
    assert secret not in client.get(url).content.decode()
    outsider, waiting, registered = UserFactory(), UserFactory(), UserFactory()
    RegistrationFactory(session=session, user=waiting, status="waiting")
    RegistrationFactory(session=session, user=registered)
    client.force_login(outsider)
    assert secret not in client.get(url).content.decode()
    client.force_login(waiting)
    assert secret not in client.get(url).content.decode()
    client.force_login(registered)
    assert secret in client.get(url).content.decode()
    client.force_login(session.trainer)
    assert secret in client.get(url).content.decode()
    feed = client.get("/kits/formations.ics").content.decode()
    assert secret not in feed


def test_register_and_cancel_through_the_pages(client, session):
    person = UserFactory()
    client.force_login(person)
    response = client.post(f"/kits/formations/{session.pk}/inscription/")
    assert response.status_code == 302
    registration = Registration.objects.get(user=person)
    assert registration.status == "confirmed"
    client.logout()
    cancel_url = f"/kits/inscriptions/{registration.cancel_token}/annuler/"
    assert client.get(cancel_url).status_code == 200
    client.post(cancel_url)
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert client.get("/kits/inscriptions/00000000-0000-0000-0000-000000000000/annuler/").status_code == 404


def test_registration_needs_an_account(client, session):
    response = client.post(f"/kits/formations/{session.pk}/inscription/")
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]
    assert not Registration.objects.exists()


def test_csv_export_and_attendance_are_for_the_trainer_and_staff(client, session):
    registration = RegistrationFactory(session=session, user=UserFactory(display_name="Aïcha Benali"))
    RegistrationFactory(session=session, status="waiting")
    client.force_login(registration.user)
    assert client.get(f"/kits/formations/{session.pk}/inscrits.csv").status_code == 403
    assert client.get(f"/kits/formations/{session.pk}/presences/").status_code == 403
    client.force_login(session.trainer)
    response = client.get(f"/kits/formations/{session.pk}/inscrits.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Nom", "E-mail"] and len(rows) == 3
    assert rows[1][0] == "Aïcha Benali" and rows[1][3] == "inscrit·e"
    client.post(f"/kits/formations/{session.pk}/presences/", {"present": [registration.pk]})
    registration.refresh_from_db()
    assert registration.attended is True
    client.force_login(UserFactory(staff=True))
    assert client.get(f"/kits/formations/{session.pk}/inscrits.csv").status_code == 200


def test_feedback_after_the_session_from_participants(client, kit):
    past = TrainingSessionFactory(kit=kit, start=timezone.now() - timedelta(days=1))
    registration = RegistrationFactory(session=past)
    client.force_login(UserFactory())
    assert client.get(f"/kits/formations/{past.pk}/avis/").status_code == 404
    client.force_login(registration.user)
    assert client.get(f"/kits/formations/{past.pk}/avis/").status_code == 200
    response = client.post(f"/kits/formations/{past.pk}/avis/", {"rating": "5", "useful": "Les fiches."})
    assert response.status_code == 302
    assert registration.feedback.rating == 5


def test_ics_feed_lists_upcoming_sessions(client, kit):
    upcoming = TrainingSessionFactory(kit=kit, title="Agenda agrégatif : mode d'emploi")
    TrainingSessionFactory(kit=kit, title="Passée", start=timezone.now() - timedelta(days=2))
    response = client.get("/kits/formations.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [upcoming.display_title]


def test_progress_views(client, kit, user):
    client.force_login(user)
    step = kit.step_ids()[0]
    client.post(f"/kits/progression/{kit.pk}/etape/", {"step": step, "done": "1"})
    html = client.get(kit.url).content.decode()
    assert "1 étape(s) sur 2" in html
    client.post(f"/kits/progression/{kit.pk}/termine/", {"done": "1"})
    html = client.get("/kits/mon-parcours/").content.decode()
    assert kit.title in html
    assert client.post(f"/kits/progression/{kit.pk}/etape/", {"step": "x", "done": "1"}).status_code == 404


def test_one_to_one_request_flow_keeps_notes_for_staff(client):
    person = UserFactory()
    sources = UserFactory(roles=[roles.SOURCE_MAINTAINER])
    source = SourceFactory(maintainers=[sources])
    client.force_login(person)
    response = client.post(
        "/kits/echange-individuel/",
        {
            "topic": "data_quality",
            "source": source.pk,
            "message": "Nos fiches ont des doublons.",
            "availability": "mardi",
        },
    )
    assert response.status_code == 302
    item = OneToOneRequest.objects.get()
    assert item.source == source
    assert client.get(item.get_absolute_url()).status_code == 403
    client.force_login(sources)
    client.post(item.get_absolute_url(), {"status": "taken", "note": "Je l'appelle jeudi.", "take": "on"})
    item.refresh_from_db()
    assert item.assignee == sources and item.notes.get().text == "Je l'appelle jeudi."
    client.force_login(person)
    assert "Je l'appelle jeudi." not in client.get("/kits/mon-parcours/").content.decode()


def test_a_data_quality_request_reaches_the_team_and_the_named_sources_maintainers_only(
    client, django_capture_on_commit_callbacks
):
    """Issue 14: every maintainer of every source was e-mailed the request and could read and take it
    (the requester's phone number in the message)."""
    own = UserFactory(roles=[roles.SOURCE_MAINTAINER])
    stranger = UserFactory(roles=[roles.SOURCE_MAINTAINER])
    SourceFactory(maintainers=[stranger])
    team_member = UserFactory(roles=[roles.STAFF])
    source = SourceFactory(maintainers=[own])
    client.force_login(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/kits/echange-individuel/",
            {"topic": "data_quality", "source": source.pk, "message": "Appelez-moi au 06 00 00 00 00."},
        )
    item = OneToOneRequest.objects.get()
    assert {address for message in mail.outbox for address in message.to} == {own.email, team_member.email}
    client.force_login(stranger)
    assert client.get(item.get_absolute_url()).status_code == 403
    assert "06 00 00 00 00" not in client.get("/kits/echanges/").content.decode()
    client.post(item.get_absolute_url(), {"status": "taken", "take": "on"})
    item.refresh_from_db()
    assert item.assignee is None
    for reader in (own, team_member):
        client.force_login(reader)
        assert "06 00 00 00 00" in client.get(item.get_absolute_url()).content.decode()


def test_offline_bundle_lists_the_page_and_its_documents(client, kit_index):
    from django.core.files.base import ContentFile

    from wagtail.documents.models import Document

    from tests.kits.factories import add_kit

    document = Document.objects.create(
        title="Fiche cartopartie", file=ContentFile(b"%PDF-1.4", name="fiche.pdf")
    )
    step = ("document", {"title": "La fiche", "document": document, "description": ""})
    kit = add_kit(kit_index, title="Kit avec fiche", body=[step])
    bundle = client.get(f"/kits/hors-ligne/{kit.pk}.json").json()
    assert kit.url in bundle["urls"] and document.url in bundle["urls"]


def test_home_page_shows_upcoming_sessions(client, session):
    html = client.get("/").content.decode()
    assert session.display_title in html and session.get_absolute_url() in html


def test_trainer_cancels_a_registration_and_the_waiting_list_moves_up(
    client, session, mailoutbox, django_capture_on_commit_callbacks
):
    session.capacity = 1
    session.save()
    seated = RegistrationFactory(session=session, user=UserFactory(display_name="Nadia Haddad"))
    waiting = RegistrationFactory(
        session=session, status="waiting", user=UserFactory(display_name="Paul Morel")
    )
    other_session = TrainingSessionFactory(kit=session.kit)
    elsewhere = RegistrationFactory(session=other_session)
    url = f"/kits/formations/{session.pk}/inscriptions/{seated.pk}/annuler/"

    client.force_login(seated.user)  # a participant cannot cancel anyone from the trainer's page
    assert client.post(url).status_code == 403
    client.force_login(session.trainer)
    page = client.get(f"/kits/formations/{session.pk}/presences/").content.decode()
    assert url in page and "Paul Morel" in page  # the waiting list is shown with its own action
    assert client.get(url).status_code == 405  # never on a GET
    not_this_session = f"/kits/formations/{session.pk}/inscriptions/{elsewhere.pk}/annuler/"
    assert client.post(not_this_session).status_code == 404

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert seated.status == "cancelled" and waiting.status == "confirmed"
    assert "Nadia Haddad" in response.content.decode() and "Paul Morel" in response.content.decode()
    assert {tuple(message.to) for message in mailoutbox} == {(seated.user.email,), (waiting.user.email,)}
    cancellation = next(message for message in mailoutbox if message.to == [seated.user.email])
    invitation = next(a for a in cancellation.attachments if a[0].endswith(".ics"))
    assert Calendar.from_ical(invitation[1]).get("method") == "CANCEL"
