"""The Wagtail admin for sources: registry with onboarding steps, reports resolved from the admin."""

import json

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


def test_admin_saves_a_source_with_onboarding_steps_and_field_mapping(client):
    staff = UserFactory(staff=True)
    client.force_login(staff)
    source = SourceFactory(name="Colibris", slug="colibris", source_key="PDCN")
    response = client.post(
        reverse("wagtailsnippets_sources_source:edit", args=[source.pk]),
        {
            "name": "Colibris — Près de chez nous",
            "slug": "colibris",
            "description": json.dumps(
                {
                    "blocks": [
                        {
                            "key": "a1",
                            "type": "unstyled",
                            "text": "Le mouvement des initiatives.",
                            "depth": 0,
                            "inlineStyleRanges": [],
                            "entityRanges": [],
                        }
                    ],
                    "entityMap": {},
                }
            ),
            "website": "https://www.colibris-lemouvement.org",
            "territory": "30",
            "contact_email": "donnees@colibris.example",
            "is_active": "on",
            "maintainers": [str(staff.pk)],
            "source_key": "PDCN",
            "feed_url": "https://colibris.example/flux.json",
            "feed_format": "csv",
            "field_mapping": '{"id": "code", "name": "intitule"}',
            "map_url": "",
            "check_every_hours": "12",
            "onboarding_steps-TOTAL_FORMS": "1",
            "onboarding_steps-INITIAL_FORMS": "0",
            "onboarding_steps-MIN_NUM_FORMS": "0",
            "onboarding_steps-MAX_NUM_FORMS": "1000",
            "onboarding_steps-0-step": "charter_signed",
            "onboarding_steps-0-done_on": "2026-03-02",
            "onboarding_steps-0-done_by": str(staff.pk),
            "onboarding_steps-0-note": "Signée au forum",
            "onboarding_steps-0-ORDER": "1",
            "onboarding_steps-0-id": "",
            "onboarding_steps-0-DELETE": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    source.refresh_from_db()
    assert source.field_mapping == {"id": "code", "name": "intitule"}
    assert "Le mouvement des initiatives." in source.description
    assert (source.feed_format, source.check_every_hours) == ("csv", 12)
    assert list(source.maintainers.all()) == [staff]
    step = source.onboarding_steps.get()
    assert (step.step, str(step.done_on), step.done_by) == ("charter_signed", "2026-03-02", staff)


def test_a_source_is_archived_never_deleted_and_its_forum_posts_stay(client):
    from community.models import Category, Post
    from tests.community.factories import make_topic

    superuser = UserFactory(staff=True, is_superuser=True)
    client.force_login(superuser)
    source = SourceFactory(name="Colibris")
    category = Category.objects.get(source=source)  # every source gets its forum category
    topic = make_topic(category=category, replies=2)

    listing = client.get(reverse("wagtailsnippets_sources_source:list")).content.decode()
    delete_url = reverse("wagtailsnippets_sources_source:delete", args=[source.pk])
    assert delete_url not in listing
    assert client.post(delete_url).status_code in (302, 403) and source.__class__.objects.filter(pk=source.pk)
    edit = client.get(reverse("wagtailsnippets_sources_source:edit", args=[source.pk])).content.decode()
    assert delete_url not in edit and "archiver" in edit

    # Deleted anyway (a shell, a script): the category and the members' posts are kept.
    source.delete()
    category.refresh_from_db()
    assert category.source is None
    assert Post.objects.filter(topic=topic).count() == 3
