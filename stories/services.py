"""Writes of the stories app: source spaces and their workflow, announcements, approvals, submissions."""

import logging

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core import signing
from django.core.files.images import ImageFile
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape, linebreaks
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from wagtail.images import get_image_model
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Locale,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from accounts import roles
from core.mail import send_templated_mail
from stories.models import (
    CallPage,
    Contributor,
    SourceApprovalTask,
    SourceStoriesFolderPage,
    StoryAuthor,
    StoryIndexPage,
    StoryKind,
    StoryPage,
    Submission,
    SubmissionPhoto,
)

logger = logging.getLogger(__name__)

STORY_WORKFLOW_NAME = "Récit avec une source"
APPROVAL_SALT = "stories.source-approval"
APPROVAL_MAX_AGE = 60 * 60 * 24 * 30  # a month: sources are volunteers, they answer when they can
MAINTAINER_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page", "unlock_page"]
COMMUNICATION_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def _page_permissions(codenames):
    return Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames)


def _admin_access() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def story_index(*, locale: Locale | None = None) -> StoryIndexPage | None:
    """The stories index in the default language (where drafts are written), or None before the demo."""
    locale = locale or Locale.get_default()
    return StoryIndexPage.objects.filter(locale=locale).first()


def source_group_name(source) -> str:
    return f"Récits — source {source.slug}"


@transaction.atomic
def story_workflow_ensure() -> Workflow:
    """The workflow of source stories: the communication group reviews, then the source approves."""
    communication, _created = Group.objects.get_or_create(name=roles.COMMUNICATION_GROUP)
    communication.permissions.add(_admin_access())
    index_page = story_index()
    if index_page is not None:
        for permission in _page_permissions(COMMUNICATION_PAGE_PERMISSIONS):
            GroupPagePermission.objects.get_or_create(
                group=communication, page=index_page, permission=permission
            )
    workflow, created = Workflow.objects.get_or_create(name=STORY_WORKFLOW_NAME, defaults={"active": True})
    if created or not workflow.workflow_tasks.exists():
        review, _created = GroupApprovalTask.objects.get_or_create(name="Relecture du groupe communication")
        review.groups.add(communication)
        approval, _created = SourceApprovalTask.objects.get_or_create(name="Approbation par la source")
        WorkflowTask.objects.create(workflow=workflow, task=review, sort_order=0)
        WorkflowTask.objects.create(workflow=workflow, task=approval, sort_order=1)
    return workflow


@transaction.atomic
def source_space_ensure(*, source) -> SourceStoriesFolderPage | None:
    """A folder page for the source's stories, a group holding permissions on it only, and the workflow.

    Idempotent. Returns None when the stories index does not exist yet.
    """
    index_page = story_index()
    if index_page is None:
        return None
    folder = SourceStoriesFolderPage.objects.filter(source=source).first()
    if folder is None:
        folder = SourceStoriesFolderPage(
            title=_("Récits de %(source)s") % {"source": source.name},
            slug=f"source-{source.slug}"[:80],
            source=source,
            locale=index_page.locale,
        )
        index_page.add_child(instance=folder)
    group, _created = Group.objects.get_or_create(name=source_group_name(source))
    group.permissions.add(_admin_access())
    for permission in _page_permissions(MAINTAINER_PAGE_PERMISSIONS):
        GroupPagePermission.objects.get_or_create(group=group, page=folder, permission=permission)
    source_maintainers_sync(source=source)
    workflow = story_workflow_ensure()
    WorkflowPage.objects.update_or_create(page=folder, defaults={"workflow": workflow})
    return folder


def source_maintainers_sync(*, source) -> None:
    """The source's Wagtail group holds exactly its maintainers."""
    group = Group.objects.filter(name=source_group_name(source)).first()
    if group is None:
        return
    maintainers = list(source.maintainers.all())
    group.user_set.set(maintainers)
    if maintainers:
        # Maintainers are not staff, but Wagtail's admin needs its own access permission (held by the group).
        Group.objects.get_or_create(name=roles.SOURCE_MAINTAINER)[0].user_set.add(*maintainers)


@transaction.atomic
def source_announcement_prepare(*, source) -> StoryPage | None:
    """A draft announcing that the source joined, for the communication group to finish. Idempotent."""
    folder = source_space_ensure(source=source)
    if folder is None:
        return None
    existing = StoryPage.objects.child_of(folder).filter(kind=StoryKind.SOURCE, sources=source).first()
    if existing is not None:
        return existing
    description = source.description or ""
    story = StoryPage(
        title=_("Bienvenue à %(source)s sur Transiscope") % {"source": source.name},
        slug=f"bienvenue-{source.slug}"[:80],
        kind=StoryKind.SOURCE,
        introduction=_("%(source)s rejoint les sources de la carte Transiscope.") % {"source": source.name},
        territory=source.territory,
        live=False,
        body=[("paragraph", description)] if description else [],
    )
    folder.add_child(instance=story)
    story.sources.add(source)
    story.save()  # the parental many-to-many is written when the page is saved
    story.save_revision(log_action=True)
    return story


def approval_token(*, task_state: TaskState) -> str:
    return signing.TimestampSigner(salt=APPROVAL_SALT).sign(str(task_state.pk))


def approval_url(*, task_state: TaskState) -> str:
    return settings.SITE_URL + reverse(
        "stories:source_approval", kwargs={"token": approval_token(task_state=task_state)}
    )


def story_sources(story: StoryPage):
    """The story's linked sources, or else the source whose folder holds it (a translated folder has no
    source of its own: it is the source of the folder it translates)."""
    sources = list(story.sources.all())
    if not sources:
        folder = story.get_parent().specific
        if isinstance(folder, SourceStoriesFolderPage):
            original = (
                SourceStoriesFolderPage.objects.filter(
                    translation_key=folder.translation_key, source__isnull=False
                )
                .select_related("source")
                .first()
            )
            sources = [original.source] if original else []
    return sources


def source_approval_request(*, task_state: TaskState) -> int:
    """E-mail the story's sources a signed link to approve it. Returns the number of e-mails sent."""
    # The revision under review, not the page row: a draft's linked sources live in its revision.
    story = task_state.revision.as_object()
    url = approval_url(task_state=task_state)
    sent = 0
    for source in story_sources(story):
        addresses = {user.email for user in source.maintainers.filter(is_active=True)}
        if source.contact_email:
            addresses.add(source.contact_email)
        for address in sorted(addresses):
            sent += send_templated_mail(
                to=address,
                template="stories/email/source_approval",
                context={"story": story, "source": source, "approval_url": url},
            )
    if not sent:
        logger.warning("Story %s awaits a source's approval but no source has an address", story.pk)
    return sent


class ApprovalLinkInvalid(Exception):
    pass


def approval_task_state(*, token: str) -> TaskState:
    """The task state a link points to, or ApprovalLinkInvalid (bad signature, expired, already decided)."""
    try:
        pk = signing.TimestampSigner(salt=APPROVAL_SALT).unsign(token, max_age=APPROVAL_MAX_AGE)
    except signing.BadSignature as error:
        raise ApprovalLinkInvalid(_("Ce lien n'est pas valide ou a expiré.")) from error
    task_state = TaskState.objects.filter(pk=pk).select_related("workflow_state").first()
    if task_state is None or not isinstance(task_state.task.specific, SourceApprovalTask):
        raise ApprovalLinkInvalid(_("Ce lien n'est pas valide ou a expiré."))
    return task_state


@transaction.atomic
def source_approval_decide(*, token: str, approve: bool, comment: str = "") -> TaskState:
    """The source approves the story (which publishes it when it is the last step) or asks for changes."""
    task_state = approval_task_state(token=token)
    task_state = TaskState.objects.select_for_update().get(pk=task_state.pk)
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        raise ApprovalLinkInvalid(_("Ce récit a déjà reçu une réponse."))
    if approve:
        task_state.specific.approve(user=None, comment=comment)
    else:
        task_state.specific.reject(user=None, comment=comment)
    return task_state


def _story_parent_for_submission(submission: Submission):
    return submission.call.get_parent().specific


@transaction.atomic
def submission_create(*, call: CallPage, data: dict, photos: list[tuple]) -> Submission:
    """Record a testimony. `photos` holds (uploaded_file, credit, consent) tuples."""
    submission = Submission.objects.create(
        call=call,
        name=data["name"],
        email=data["email"],
        phone=data.get("phone", ""),
        territory=data["territory"],
        text=data["text"],
    )
    for upload, credit, consent in photos:
        SubmissionPhoto.objects.create(submission=submission, file=upload, credit=credit, consent=consent)
    return submission


@transaction.atomic
def submission_to_draft(*, submission: Submission, by=None) -> StoryPage:
    """Turn a testimony into a draft story (testimony kind) under the stories index. Idempotent."""
    if submission.story_id:
        return submission.story
    parent = _story_parent_for_submission(submission)
    contributor, _created = Contributor.objects.get_or_create(
        name=submission.name, organisation="", user=None, defaults={"bio": ""}
    )
    body = [("paragraph", linebreaks(escape(submission.text)))]
    Image = get_image_model()
    for photo in submission.photos.filter(consent=True):
        with photo.file.open("rb") as handle:
            image = Image(
                title=photo.credit,
                file=ImageFile(handle, name=photo.file.name.rsplit("/", 1)[-1]),
                uploaded_by_user=by,
            )
            image.save()
        body.append(
            (
                "image",
                {
                    "image": image,
                    "alt_text": _("Photo envoyée par %(name)s") % {"name": submission.name},
                    "caption": "",
                    "credit": photo.credit,
                },
            )
        )
    story = StoryPage(
        title=_("Témoignage de %(name)s") % {"name": submission.name},
        slug=f"temoignage-{submission.pk}",
        kind=StoryKind.TESTIMONY,
        introduction=Truncator(submission.text).chars(300),
        territory=submission.territory,
        live=False,
        owner=by,
        body=body,
    )
    parent.add_child(instance=story)
    StoryAuthor.objects.create(page=story, contributor=contributor, role=_("témoignage"))
    story.save_revision(user=by, log_action=True)
    submission.story = story
    submission.status = Submission.Status.DRAFTED
    submission.save(update_fields=["story", "status", "updated_at"])
    return story
