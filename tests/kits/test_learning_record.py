from datetime import timedelta

from django.utils import timezone

import pytest

from kits.models import KitProgress, Registration
from kits.selectors import learning_record
from kits.services import kit_mark_done
from tests.factories import UserFactory
from tests.kits.factories import RegistrationFactory, TrainingSessionFactory, add_kit

pytestmark = pytest.mark.django_db


def test_learning_record_lists_completed_kits_and_attended_sessions(kit_index, kit):
    person = UserFactory()
    other_kit = add_kit(kit_index, title="Animer un agenda agrégatif")
    kit_mark_done(user=person, kit=kit)
    KitProgress.objects.create(user=person, kit=other_kit, done_steps=[])  # started, not done
    past = TrainingSessionFactory(kit=kit, title="Cartopartie à distance",
                                  start=timezone.now() - timedelta(days=7))  # fmt: skip
    RegistrationFactory(session=past, user=person, attended=True)
    missed = TrainingSessionFactory(kit=kit, start=timezone.now() - timedelta(days=3))
    RegistrationFactory(session=missed, user=person, attended=False)
    RegistrationFactory(
        session=TrainingSessionFactory(kit=kit), user=person, status=Registration.Status.CONFIRMED
    )

    record = learning_record(user=person)

    assert record["completed_kits"] == [
        {
            "title": "Organiser une cartopartie",
            "url": kit.url,
            "completed_at": record["completed_kits"][0]["completed_at"],
        }
    ]
    assert record["completed_kits"][0]["completed_at"] <= timezone.now()
    assert record["attended_sessions"] == [
        {"title": "Cartopartie à distance", "url": f"/kits/formations/{past.pk}/", "start": past.start}
    ]


def test_learning_record_of_a_newcomer_is_empty():
    assert learning_record(user=UserFactory()) == {"completed_kits": [], "attended_sessions": []}


def test_learning_record_is_bounded_in_queries(kit_index, django_assert_max_num_queries):
    person = UserFactory()
    for n in range(6):
        kit = add_kit(kit_index, title=f"Kit {n}")
        kit_mark_done(user=person, kit=kit)
        RegistrationFactory(session=TrainingSessionFactory(kit=kit), user=person, attended=True)
    with django_assert_max_num_queries(8):
        record = learning_record(user=person)
        [item["url"] for item in record["completed_kits"]]
    assert len(record["completed_kits"]) == 6 and len(record["attended_sessions"]) == 6
