"""How allauth creates people and where it sends them after signing in."""

from django.template.loader import render_to_string
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

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's message, with its subject and plain-text body rendered without HTML escaping (the text
        engine of core.mail): a name such as "Zoé l'Ardéchoise & Cie" arrives as written."""
        from core.mail import TEXT_ENGINE

        message = super().render_mail(template_prefix, email, context, headers=headers)
        subject = render_to_string(f"{template_prefix}_subject.txt", context, using=TEXT_ENGINE)
        message.subject = self.format_email_subject(" ".join(subject.splitlines()).strip())
        if message.content_subtype == "plain":
            body = render_to_string(f"{template_prefix}_message.txt", context, using=TEXT_ENGINE)
            message.body = body.strip()
        return message

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
