"""Two-factor authentication for whoever reaches the admin or a team screen, when `PORTAL_ENFORCE_STAFF_MFA`
is on (the default in production)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import permissions

PROTECTED_PREFIXES = ("/admin/", "/django-admin/")

# The portal's own team screens, by URL name (namespace:name): every screen that shows what only the team
# (or a role reaching the admin) sees. A person for whom `permissions.requires_mfa` says yes opens them only
# with an active TOTP authenticator. The access-matrix test (tests/portal/test_access_matrix.py) lists the
# team-only URLs; keep both in step.
TEAM_SCREENS = frozenset(
    {
        "sources:overview",
        "agenda:moderation",
        "agenda:feed_preview",
        "agenda:feed_action",
        "agenda:event_action",
        "agenda:duplicate_decision",
        "kits:one_to_one_list",
        "kits:one_to_one_detail",
        "community:moderation",
        "community:moderation_decide",
        "community:topic_moderate",
        "community:topic_to_faq",
        "community:applications",
        "community:application_review",
        "community:follow_up_list",
        "community:follow_up",
        "community:questionnaire_csv",
        "support:team_queue",
        "support:team_request",
        "support:team_partners",
        "support:team_partner_create",
        "support:team_partner_edit",
        "support:team_answers",
        "support:team_answer_create",
        "support:team_answer_edit",
        "support:team_figures",
        "support:team_figures_csv",
    }
)


def is_team_screen(request) -> bool:
    if request.path.startswith(PROTECTED_PREFIXES):
        return True
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in TEAM_SCREENS


class StaffMfaMiddleware:
    """Whoever must use two-factor authentication (`permissions.requires_mfa`: the team, by role or by flag,
    and anyone reaching the admin) and has no active TOTP authenticator is sent to set one up when they open
    the admin or a team screen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not self._must_set_up_mfa(request):
            return None
        messages.warning(
            request,
            _(
                "Pour accéder à l'administration et aux écrans de l'équipe, activez d'abord la double "
                "authentification."
            ),
        )
        return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")

    @staticmethod
    def _must_set_up_mfa(request) -> bool:
        if not getattr(settings, "PORTAL_ENFORCE_STAFF_MFA", False):
            return False
        if not is_team_screen(request):
            return False
        user = getattr(request, "user", None)
        if user is None or not permissions.requires_mfa(user):
            return False
        from allauth.mfa.models import Authenticator

        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
