"""How allauth creates people and where it sends them after signing in."""

from django.urls import translate_url

from allauth.account.adapter import DefaultAccountAdapter

PROFILE_FIELDS = ("display_name", "organisation", "territory", "preferred_language")


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """allauth's rate limits key on the same client address as the portal's (TRUSTED_PROXY_COUNT)."""
        from django.core.exceptions import PermissionDenied

        from core.client_ip import client_ip

        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        for name in PROFILE_FIELDS:
            value = form.cleaned_data.get(name)
            if value:
                setattr(user, name, value)
        if commit:
            user.save()
        return user

    def get_login_redirect_url(self, request):
        """After signing in, the interface switches to the person's preferred language."""
        url = super().get_login_redirect_url(request)
        user = getattr(request, "user", None)
        language = getattr(user, "preferred_language", "")
        return translate_url(url, language) if language else url
