"""The Wagtail admin for sources: registry with onboarding steps, reports resolved from the admin."""

from django.core import mail
from django.urls import reverse

import pytest

from sources.models import Report
from tests.factories import UserFactory
from tests.sources.factories import ReportFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_admin_lists_and_edits_sources_and_resolving_a_report_tells_the_reporter(client):
    client.force_login(UserFactory(staff=True))
    source = SourceFactory(name="Colibris")
    assert "Colibris" in client.get(reverse("wagtailsnippets_sources_source:list")).content.decode()
    edit = client.get(reverse("wagtailsnippets_sources_source:edit", args=[source.pk]))
    assert edit.status_code == 200 and "onboarding_steps" in edit.content.decode()

    report = ReportFactory(source=source, reporter_email="zoe@exemple.org")
    response = client.post(
        reverse("wagtailsnippets_sources_report:edit", args=[report.pk]),
        {"status": "rejected", "resolution_message": "Cette alternative existe toujours."},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert report.status == Report.Status.REJECTED and report.resolved_at is not None
    assert [message.to for message in mail.outbox] == [["zoe@exemple.org"]]
