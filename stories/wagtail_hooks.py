"""Admin: testimonies received (with follow-up), contributors, and the "create a draft" button."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from stories import admin_views
from stories.models import Submission


class SubmissionViewSet(SnippetViewSet):
    model = Submission
    icon = "comment"
    menu_label = _("Témoignages reçus")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "call", "territory", "status", "created_at", "story"]
    list_filter = ["status", "call"]
    search_fields = ["name", "email", "text", "notes"]
    ordering = ["-created_at"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "call", "name", "email", "phone", "territory", "text", "photos", "status", "notes", "story",
    ]  # fmt: skip


register_snippet(SubmissionViewSet)


@hooks.register("register_admin_urls")
def register_stories_admin_urls():
    return [
        path(
            "recits/temoignages/<int:pk>/brouillon/",
            admin_views.submission_draft,
            name="stories_submission_draft",
        )
    ]


@hooks.register("register_snippet_listing_buttons")
def submission_draft_button(snippet, user, next_url=None):
    if isinstance(snippet, Submission) and user.has_perm("stories.change_submission"):
        if snippet.story_id:
            yield ListingButton(
                _("Voir le récit"), reverse("wagtailadmin_pages:edit", args=[snippet.story_id]), priority=5
            )
        else:
            yield ListingButton(
                _("Créer un brouillon de récit"),
                reverse("stories_submission_draft", args=[snippet.pk]),
                priority=5,
            )
