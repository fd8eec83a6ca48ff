"""Admin: testimonies received (with follow-up), contributors, and the "create a draft" button."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from accounts import permissions
from core import extensions
from stories import admin_views
from stories import selectors as stories_selectors
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
    if isinstance(snippet, Submission) and permissions.can_review_submissions(user):
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


# Extension points (core/extensions.py): what this app adds to screens it does not own.
hooks.register(extensions.HOME_SECTION, stories_selectors.home_section, order=40)
hooks.register(extensions.KEY_FIGURES, stories_selectors.key_figures, order=40)
hooks.register(extensions.PERSONAL_DATA, stories_selectors.personal_data)


@hooks.register(extensions.DEMO, order=80)
def load_demo(*, stdout):
    from stories import demo  # imported only when the demo is loaded

    demo.load(stdout=stdout)
