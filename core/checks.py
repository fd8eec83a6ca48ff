"""System checks of the kernel: configurations that would leave a production site open."""

from django.conf import settings
from django.core.checks import Error, register


@register("security")
def anymail_webhook_has_a_secret(app_configs, **kwargs):
    """With an anymail backend, the provider's tracking webhook suppresses addresses: in production (DEBUG
    off) it must be authenticated, else anyone could stop the portal writing to anyone."""
    from core.webhook_urls import webhook_secret

    if settings.DEBUG or not settings.EMAIL_BACKEND.startswith("anymail."):
        return []
    if webhook_secret():
        return []
    return [
        Error(
            "An anymail EMAIL_BACKEND is set without ANYMAIL_WEBHOOK_SECRET.",
            hint="Set ANYMAIL_WEBHOOK_SECRET to 'user:long-random-password' and give the same credentials "
            "to the provider's webhook URL (https://user:password@host/hooks/anymail/<esp>/tracking/).",
            id="core.E001",
        )
    ]
