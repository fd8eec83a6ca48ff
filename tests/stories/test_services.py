import re

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.models import TaskState, WorkflowState

import pytest

from accounts import roles
from stories import services
from stories.models import SourceStoriesFolderPage, StoryPage, Submission
from tests.factories import UserFactory
from tests.stories.factories import SourceFactory

pytestmark = pytest.mark.django_db


def _png_bytes():
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (20, 10), "green").save(buffer, "PNG")
    return buffer.getvalue()


def _draft(folder, title):
    story = StoryPage(title=title, kind="source", live=False, territory="30")
    folder.add_child(instance=story)
    story.save_revision()
    return story


def test_a_joining_source_gets_its_folder_group_and_a_draft_announcement(story_index):
    maintainer = UserFactory()
    source = SourceFactory(name="Colibris Gard", maintainers=[maintainer])

    folder = SourceStoriesFolderPage.objects.get(source=source)
    assert folder.get_parent().specific == story_index
    drafts = StoryPage.objects.child_of(folder)
    assert [(d.kind, d.live) for d in drafts] == [("source", False)]
    assert "Colibris Gard" in drafts[0].title
    assert list(drafts[0].sources.all()) == [source]
    group = maintainer.groups.get(name=services.source_group_name(source))
    assert {p.permission.codename for p in group.page_permissions.filter(page=folder)} == {
        "add_page",
        "change_page",
        "lock_page",
        "unlock_page",
    }
    # Idempotent: saving again does not prepare a second announcement.
    source.save()
    services.source_announcement_prepare(source=source)
    assert StoryPage.objects.child_of(folder).count() == 1


def test_a_source_switched_on_later_gets_its_announcement(story_index):
    source = SourceFactory(is_active=False)
    assert not SourceStoriesFolderPage.objects.filter(source=source).exists()
    source.is_active = True
    source.save()
    assert StoryPage.objects.filter(sources=source, kind="source").count() == 1


def test_maintainer_cannot_see_or_edit_another_sources_drafts(client, story_index):
    alice, bob = UserFactory(), UserFactory()
    source_a = SourceFactory(maintainers=[alice])
    source_b = SourceFactory(maintainers=[bob])
    folder_a = SourceStoriesFolderPage.objects.get(source=source_a)
    folder_b = SourceStoriesFolderPage.objects.get(source=source_b)
    draft_a = _draft(folder_a, "Brouillon de la source A")
    draft_b = _draft(folder_b, "Brouillon secret de la source B")

    assert draft_a.permissions_for_user(alice).can_edit()
    assert not draft_b.permissions_for_user(alice).can_edit()
    assert not folder_b.permissions_for_user(alice).can_add_subpage()
    assert not draft_a.permissions_for_user(alice).can_publish()  # publication goes through the workflow

    client.force_login(alice)
    assert client.get(f"/admin/pages/{draft_a.pk}/edit/").status_code == 200
    response = client.get(f"/admin/pages/{draft_b.pk}/edit/")
    assert response.status_code == 302 and "/admin/pages/" not in response["Location"]
    response = client.get(f"/admin/pages/{folder_b.pk}/")
    assert response.status_code in {302, 403, 404}
    listing = client.get(f"/admin/pages/{folder_a.pk}/").content.decode()
    assert "Brouillon de la source A" in listing
    assert "Brouillon secret de la source B" not in listing
    search = client.get("/admin/pages/search/", {"q": "Brouillon"}).content.decode()
    assert "Brouillon secret de la source B" not in search


def test_removing_a_maintainer_removes_their_access(story_index):
    alice = UserFactory()
    source = SourceFactory(maintainers=[alice])
    folder = SourceStoriesFolderPage.objects.get(source=source)
    assert folder.permissions_for_user(alice).can_add_subpage()
    source.maintainers.remove(alice)
    alice = type(alice).objects.get(pk=alice.pk)
    assert not folder.permissions_for_user(alice).can_add_subpage()


def _run_to_source_approval(source, maintainer):
    folder = SourceStoriesFolderPage.objects.get(source=source)
    story = _draft(folder, "La cartoparty d'Alès")
    story.sources.add(source)
    story.save_revision(user=maintainer)
    workflow = story.get_workflow()
    assert workflow is not None and workflow.name == services.STORY_WORKFLOW_NAME
    workflow_state = workflow.start(story, maintainer)
    reviewer = UserFactory(roles=[roles.COMMUNICATION_GROUP])
    task_state = workflow_state.current_task_state
    assert task_state.task.specific.get_actions(story, reviewer)
    assert not task_state.task.specific.get_actions(story, maintainer)
    mail.outbox.clear()
    task_state.specific.approve(user=reviewer)
    story.refresh_from_db()
    return story


def _approval_link(message) -> str:
    return re.search(r"http://testserver(/recits/approbation/[^/\s]+/)", message.body).group(1)


def test_source_approval_link_publishes_the_story(client, story_index):
    maintainer = UserFactory(email="ines@colibris.example")
    source = SourceFactory(maintainers=[maintainer], contact_email="contact@colibris.example")
    story = _run_to_source_approval(source, maintainer)
    assert not story.live
    assert sorted(m.to[0] for m in mail.outbox) == ["contact@colibris.example", "ines@colibris.example"]
    link = _approval_link(mail.outbox[0])

    page = client.get(link)
    assert page.status_code == 200
    assert (
        "La cartoparty d&#x27;Alès" in page.content.decode()
        or "La cartoparty d'Alès" in page.content.decode()
    )
    response = client.post(link, {"decision": "approve", "comment": ""})
    assert response.status_code == 200
    story.refresh_from_db()
    assert story.live
    assert (
        WorkflowState.objects.get(base_content_type__model="page", object_id=str(story.pk)).status
        == "approved"
    )
    # The link cannot be used twice.
    again = client.post(link, {"decision": "reject", "comment": "trop tard"})
    assert "déjà" in again.content.decode() or again.status_code == 200
    story.refresh_from_db()
    assert story.live


def test_source_can_ask_for_changes_and_a_tampered_link_is_refused(client, story_index):
    maintainer = UserFactory()
    source = SourceFactory(maintainers=[maintainer])
    story = _run_to_source_approval(source, maintainer)
    link = _approval_link(mail.outbox[0])

    assert client.get(link[:-3] + "xx/").status_code == 404
    refused = client.post(link, {"decision": "reject", "comment": ""})
    assert "Dites-nous" in refused.content.decode()
    client.post(link, {"decision": "reject", "comment": "Le nom de la commune est faux."})
    story.refresh_from_db()
    assert not story.live
    task_state = TaskState.objects.filter(task__name="Approbation par la source").get()
    assert task_state.status == "rejected"
    assert task_state.comment == "Le nom de la commune est faux."


def test_submission_becomes_a_testimony_draft_with_consented_photos_only(story_index, staff_user):
    from stories.models import CallPage

    call = CallPage(title="Racontez votre AMAP", slug="amap", introduction="<p>Racontez !</p>")
    story_index.add_child(instance=call)
    submission = services.submission_create(
        call=call,
        data={
            "name": "Maëlle",
            "email": "maelle@exemple.org",
            "territory": "29",
            "text": "Notre AMAP <b>vit</b>.",
        },
        photos=[
            (SimpleUploadedFile("panier.png", _png_bytes(), "image/png"), "Maëlle D.", True),
            (SimpleUploadedFile("prive.png", _png_bytes(), "image/png"), "Paul", False),
        ],
    )
    story = services.submission_to_draft(submission=submission, by=staff_user)

    submission.refresh_from_db()
    assert submission.story == story and submission.status == Submission.Status.DRAFTED
    assert not story.live and story.kind == "testimony" and story.territory == "29"
    assert story.get_parent().specific == story_index
    images = [block.value for block in story.body if block.block_type == "image"]
    assert [image["credit"] for image in images] == ["Maëlle D."]
    assert "&lt;b&gt;vit&lt;/b&gt;" in str(story.body[0].value)
    assert [author.name for author in story.authors()] == ["Maëlle"]
    assert services.submission_to_draft(submission=submission, by=staff_user) == story  # one draft only

    story.save_revision().publish()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.PUBLISHED


def test_a_translated_folder_keeps_its_stories_tied_to_the_source(story_index):
    from wagtail.models import Locale

    source = SourceFactory(name="Colibris Gard")
    folder = SourceStoriesFolderPage.objects.get(source=source)
    english, _created = Locale.objects.get_or_create(language_code="en")
    translation = folder.copy_for_translation(english, copy_parents=True, alias=False).specific
    translation.save_revision().publish()
    assert translation.source is None  # a source has one folder; the translation points to it through
    story = _draft(translation, "Welcome")
    assert services.story_sources(story) == [source]
