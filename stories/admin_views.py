"""Admin view: one click turns a testimony into a story draft."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wagtail.admin import messages

from accounts import permissions
from stories import services
from stories.models import Submission


@require_http_methods(["GET", "POST"])
def submission_draft(request, pk):
    submission = get_object_or_404(Submission.objects.select_related("call", "story"), pk=pk)
    parent = submission.call.get_parent()
    if not (
        permissions.can_review_submissions(request.user)
        and parent.permissions_for_user(request.user).can_add_subpage()
    ):
        raise PermissionDenied
    if submission.story_id:
        return redirect("wagtailadmin_pages:edit", submission.story_id)
    if request.method == "POST":
        story = services.submission_to_draft(submission=submission, by=request.user)
        messages.success(request, _("Brouillon de récit créé à partir du témoignage."))
        return redirect("wagtailadmin_pages:edit", story.pk)
    return TemplateResponse(
        request,
        "stories/admin/submission_draft.html",
        {
            "submission": submission,
            "action_url": reverse("stories_submission_draft", args=[submission.pk]),
            "header_title": _("Créer un récit"),
        },
    )
