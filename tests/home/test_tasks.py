from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

import pytest
from django_q.models import Schedule
from django_q.tasks import async_task

from home.tasks import clear_expired_sessions


@pytest.mark.django_db
def test_schedule_is_created_by_the_migration():
    schedule = Schedule.objects.get(name="home.clear_expired_sessions")
    assert schedule.func == "home.tasks.clear_expired_sessions"
    assert schedule.schedule_type == Schedule.DAILY


@pytest.mark.django_db
def test_expired_sessions_are_cleared_by_the_task_run_synchronously_in_tests():
    now = timezone.now()
    Session.objects.create(session_key="old", session_data="x", expire_date=now - timedelta(days=1))
    Session.objects.create(session_key="new", session_data="x", expire_date=now + timedelta(days=1))
    async_task(clear_expired_sessions)  # Q_CLUSTER["sync"] in test settings: runs now
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]
