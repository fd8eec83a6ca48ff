"""How allauth creates people and where it sends them after signing in."""

from urllib.parse import urlsplit, urlunsplit

from django.template.loader import render_to_string
from django.urls import translate_url

from allauth.account.adapter import DefaultAccountAdapter

PROFILE_FIELDS = ("display_name", "organisation", "territory", "preferred_language")


class PortalSite:
    """What allauth's e-mails call `current_site`: the portal's name and public address (SITE_URL), not
    the host a request happened to use ("Bonjour, c'est 127.0.0.1:8101 !")."""

    name = "Transiscope"

    @property
    def domain(self) -> str:
        from django.conf import settings

        return urlsplit(settings.SITE_URL).netloc

    def __str__(self):
        return self.name


def on_site_url(url: str) -> str:
    """The same link on the portal's public address (SITE_URL): a link in an e-mail must not depend on the
    host a request happened to use."""
    from django.conf import settings

    parts = urlsplit(url)
    return settings.SITE_URL + urlunsplit(("", "", parts.path, parts.query, parts.fragment))


class AccountAdapter(DefaultAccountAdapter):
    def get_reset_password_from_key_url(self, key):
        return on_site_url(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request, emailconfirmation):
        return on_site_url(super().get_email_confirmation_url(request, emailconfirmation))

    def send_mail(self, template_prefix, email, context):
        super().send_mail(template_prefix, email, {"current_site": PortalSite(), **context})

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
