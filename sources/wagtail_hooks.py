"""The sources in Wagtail's admin: the registry (with onboarding steps and field mapping) and the reports."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core import extensions
from sources import selectors as sources_selectors
from sources.models import Report, Source
from sources.services import reports


class SourcePermissionPolicy(ModelPermissionPolicy):
    """Sources are archived (unticked "active"), never deleted from the admin, not even by a superuser:
    their checks, reports, agenda events and forum category are history other people rely on."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)


register_permission_policy(Source, SourcePermissionPolicy(Source))


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "site"
    menu_label = _("Sources")
    list_display = ["name", "source_key", "territory", "is_active", "next_check_at"]
    list_filter = ["is_active", "feed_format"]
    search_fields = ["name", "source_key"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("name"),
                    FieldPanel("slug"),
                    FieldPanel("logo"),
                    FieldPanel("description"),
                    FieldPanel("description_en"),
                    FieldRowPanel([FieldPanel("website"), FieldPanel("territory")]),
                    FieldRowPanel([FieldPanel("contact_email"), FieldPanel("is_active")]),
                    FieldPanel("maintainers"),
                    FieldRowPanel([FieldPanel("joined_on"), FieldPanel("charter_signed_on")]),
                ],
                heading=_("Registre"),
            ),
            ObjectList(
                [
                    FieldPanel("source_key"),
                    FieldRowPanel([FieldPanel("feed_url"), FieldPanel("feed_format")]),
                    FieldPanel("field_mapping"),
                    FieldPanel("map_url"),
                    FieldPanel("check_every_hours"),
                ],
                heading=_("Flux et carte"),
            ),
            ObjectList(
                [
                    InlinePanel(
                        "onboarding_steps",
                        heading=_("Étapes franchies"),
                        label=_("étape"),
                        panels=[
                            FieldPanel("step"),
                            FieldPanel("done_on"),
                            FieldPanel("done_by"),
                            FieldPanel("note"),
                        ],
                    )
                ],
                heading=_("Parcours d'accueil"),
            ),
        ]
    )


class ReportViewSet(SnippetViewSet):
    model = Report
    icon = "warning"
    menu_label = _("Signalements")
    list_display = ["element_name", "source", "reason", "status", "channel", "created_at"]
    list_filter = ["status", "reason", "channel", "source"]
    ordering = ["-created_at"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("source", read_only=True),
                FieldPanel("element_name", read_only=True),
                FieldPanel("element_id", read_only=True),
                FieldPanel("url", read_only=True),
                FieldPanel("reason", read_only=True),
                FieldPanel("comment", read_only=True),
            ],
            heading=_("Signalement"),
        ),
        FieldPanel("status"),
        FieldPanel("resolution_message"),
    ]


class SourcesGroup(SnippetViewSetGroup):
    items = (SourceViewSet, ReportViewSet)
    menu_icon = "site"
    menu_label = _("Sources")
    menu_name = "sources"


register_snippet(SourcesGroup)


@hooks.register("after_edit_snippet")
def tell_reporter_after_admin_resolution(request, instance):
    """A report resolved in the admin tells its reporter, as one resolved from the dashboard does."""
    if isinstance(instance, Report) and instance.status in Report.RESOLVED_STATUSES:
        if instance.resolved_at is None:
            Report.objects.filter(pk=instance.pk).update(resolved_by=request.user)
            reports.set_report_status(
                report=instance, status=instance.status, message=instance.resolution_message, by=request.user
            )
        else:
            reports.notify_reporter(report=instance)


# Extension points (core/extensions.py): what this app adds to screens it does not own.
hooks.register(extensions.HOME_SECTION, sources_selectors.home_section, order=30)
hooks.register(extensions.KEY_FIGURES, sources_selectors.key_figures, order=30)
hooks.register(extensions.PERSONAL_DATA, sources_selectors.personal_data)


@hooks.register(extensions.DEMO, order=30)
def load_demo(*, stdout):
    from sources import demo  # imported only when the demo is loaded

    demo.load(stdout=stdout)
