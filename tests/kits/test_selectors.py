import json
from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest

from kits.selectors import key_figures, personal_data, upcoming_sessions
from kits.services import feedback_submit, kit_mark_done, one_to_one_request_create, registration_create
from tests.factories import UserFactory
from tests.kits.factories import RegistrationFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db


def test_upcoming_sessions_filters_by_departement_dates_and_limit(kit):
    now = timezone.now()
    remote = TrainingSessionFactory(kit=kit, start=now + timedelta(days=1))
    in_gard = TrainingSessionFactory(
        kit=kit, kind="in_person", departement="30", start=now + timedelta(days=2)
    )
    TrainingSessionFactory(kit=kit, kind="in_person", departement="29", start=now + timedelta(days=3))
    TrainingSessionFactory(kit=kit, start=now - timedelta(days=1))
    TrainingSessionFactory(kit=kit, is_cancelled=True)
    RegistrationFactory(session=remote)
    assert list(upcoming_sessions(departements={"30"})) == [remote, in_gard]
    assert list(upcoming_sessions(end=now + timedelta(days=1, hours=12))) == [remote]
    assert list(upcoming_sessions(limit=1)) == [remote]
    assert upcoming_sessions(limit=1)[0].n_confirmed == 1
    assert len(upcoming_sessions()) == 3


def test_personal_data_is_serialisable_and_complete(kit, django_capture_on_commit_callbacks):
    person = UserFactory()
    kit_mark_done(user=person, kit=kit)
    past = TrainingSessionFactory(kit=kit, start=timezone.now() - timedelta(days=2))
    feedback_submit(
        registration=RegistrationFactory(session=past, user=person), rating=4, useful="Les exemples"
    )
    one_to_one_request_create(user=person, topic="data_quality", message="Doublons")
    data = json.loads(json.dumps(personal_data(user=person)))
    assert data["kit_progress"][0]["kit"] == kit.title
    assert data["registrations"][0]["feedback"]["rating"] == 4
    assert data["one_to_one_requests"][0]["message"] == "Doublons"


def test_key_figures_count_kits_and_completions(kit):
    kit_mark_done(user=UserFactory(), kit=kit)
    assert [figure["value"] for figure in key_figures()] == [1, 1]


def test_plain_text_mail_is_not_html_escaped(kit, django_capture_on_commit_callbacks):
    session = TrainingSessionFactory(kit=kit, title="Cartopartie d'automne")
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(session=session, user=UserFactory())
    assert "« Cartopartie d'automne »" in mail.outbox[0].body
    assert "Cartopartie d'automne" in mail.outbox[0].subject
    assert "Cartopartie d&#x27;automne" in mail.outbox[0].alternatives[0][0]


def test_account_export_and_deletion(kit):
    from accounts.selectors import user_data_export
    from kits.models import FollowUpNote, OneToOneRequest

    person, staff = UserFactory(), UserFactory(staff=True)
    kit_mark_done(user=person, kit=kit)
    request = one_to_one_request_create(user=UserFactory(), topic="ambassador", message="Bonjour")
    FollowUpNote.objects.create(request=request, author=staff, text="Rappeler")
    assert user_data_export(user=person)["apps"]["kits"]["kit_progress"][0]["kit"] == kit.title
    staff.delete()
    assert FollowUpNote.objects.get().author is None
    person.delete()
    assert OneToOneRequest.objects.count() == 1


def test_session_list_query_count_is_bounded(client, kit, django_assert_max_num_queries):
    for _ in range(3):
        RegistrationFactory(session=TrainingSessionFactory(kit=kit))
    client.get("/kits/formations/")
    with django_assert_max_num_queries(30) as few:
        client.get("/kits/formations/")
    for _ in range(12):
        RegistrationFactory(session=TrainingSessionFactory(kit=kit))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/kits/formations/")
    assert response.content.decode().count('scope="row"') == 15
