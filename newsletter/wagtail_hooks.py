"""Admin: issues (with preview and send buttons) and subscribers."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from accounts import permissions
from core import extensions
from newsletter import admin_views
from newsletter import selectors as newsletter_selectors
from newsletter.models import NewsletterIssue, Subscriber


class IssueViewSet(SnippetViewSet):
    model = NewsletterIssue
    icon = "mail"
    menu_label = _("Numéros")
    list_display = ["title", "frequency", "status", "period_end", "recipient_count", "sent_at", "held"]
    list_filter = ["status", "frequency", "created_automatically", "held"]
    # SnippetViewSet ignores `form_fields` (every model field would be editable, the sending state too).
    panels = [
        FieldPanel(name)
        for name in ["title", "frequency", "introduction", "period_start", "period_end", "held"]
    ]


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "user"
    menu_label = _("Abonné·es")
    list_display = ["email", "territory_label", "frequency", "status", "created_at"]
    list_filter = ["status", "frequency", "scope"]
    search_fields = ["email"]
    # The address and the consent dates come from the double opt-in only: shown, not editable, so an
    # editor cannot subscribe someone who did not confirm (the communication group only views them).
    panels = [
        FieldPanel("email", read_only=True),
        FieldPanel("status", read_only=True),
        FieldPanel("confirmed_at", read_only=True),
        FieldPanel("unsubscribed_at", read_only=True),
        *[
            FieldPanel(name)
            for name in ["scope", "territory_code", "radius_km", "topics", "frequency", "language"]
        ],
    ]


class NewsletterGroup(SnippetViewSetGroup):
    items = (IssueViewSet, SubscriberViewSet)
    menu_icon = "mail"
    menu_label = _("Lettre")
    menu_name = "lettre"
    menu_order = 260


register_snippet(NewsletterGroup)


@hooks.register("register_admin_urls")
def register_newsletter_admin_urls():
    return [
        path("lettre/numeros/<int:pk>/apercu/", admin_views.issue_preview, name="newsletter_issue_preview"),
        path("lettre/numeros/<int:pk>/envoi/", admin_views.issue_send, name="newsletter_issue_send"),
    ]


@hooks.register("register_snippet_listing_buttons")
def issue_buttons(snippet, user, next_url=None):
    if isinstance(snippet, NewsletterIssue):
        yield ListingButton(_("Aperçu"), reverse("newsletter_issue_preview", args=[snippet.pk]), priority=5)
        if permissions.can_send_newsletter_issue(user):
            yield ListingButton(_("Envoi"), reverse("newsletter_issue_send", args=[snippet.pk]), priority=6)


# Extension points (core/extensions.py): what this app adds to screens it does not own.
hooks.register(extensions.PERSONAL_DATA, newsletter_selectors.personal_data)


@hooks.register(extensions.DEMO, order=90)
def load_demo(*, stdout):
    from newsletter import demo  # imported only when the demo is loaded

    demo.load(stdout=stdout)
