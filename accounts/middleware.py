"""Two-factor authentication enforced for staff when `PORTAL_ENFORCE_STAFF_MFA` is on."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import permissions

PROTECTED_PREFIXES = ("/admin/", "/django-admin/")


class StaffMfaMiddleware:
    """A staff member without an active TOTP authenticator who opens an admin is sent to set one up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up_mfa(request):
            messages.warning(
                request,
                _("Pour accéder à l'administration, activez d'abord la double authentification."),
            )
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def _must_set_up_mfa(request) -> bool:
        if not getattr(settings, "PORTAL_ENFORCE_STAFF_MFA", False):
            return False
        if not request.path.startswith(PROTECTED_PREFIXES):
            return False
        user = getattr(request, "user", None)
        if user is None or not permissions.requires_mfa(user):
            return False
        from allauth.mfa.models import Authenticator

        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
