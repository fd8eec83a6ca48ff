"""Every outgoing e-mail goes through `send_templated_mail`.

It renders a template pair (`<name>_subject.txt`, `<name>.txt` and, when present, `<name>.html`) in the
recipient's language, skips addresses that bounced or complained (see `core.models.SuppressedAddress`),
and sends through whatever backend the settings name: console or file in development, locmem in
tests, an anymail provider in production.
"""

import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from core.models import SuppressedAddress

logger = logging.getLogger(__name__)

# The template engine of plain-text parts and subjects (settings.TEMPLATES): no HTML escaping there.
TEXT_ENGINE = "text"


def language_for(email: str) -> str:
    """The language a recipient reads: their preference when they have an account, French otherwise."""
    preferred = (
        get_user_model()
        .objects.filter(email__iexact=email)
        .values_list("preferred_language", flat=True)
        .first()
    )
    return preferred or settings.LANGUAGE_CODE


def render_templated_mail(
    *, to: str, template: str, context: dict | None = None, language: str | None = None, **kwargs
) -> EmailMultiAlternatives:
    """Build (without sending) the message `send_templated_mail` would send."""
    language = language or language_for(to)
    context = {"site_url": settings.SITE_URL, "recipient": to, "language": language, **(context or {})}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context, using=TEXT_ENGINE).split())
        body = render_to_string(f"{template}.txt", context, using=TEXT_ENGINE)
        try:
            html = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=body,
        from_email=kwargs.get("from_email") or settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=kwargs.get("reply_to"),
        headers=kwargs.get("headers"),
        connection=kwargs.get("connection"),
    )
    if html:
        message.attach_alternative(html, "text/html")
    for attachment in kwargs.get("attachments") or ():
        message.attach(*attachment)
    if kwargs.get("tags"):
        message.tags = list(kwargs["tags"])  # anymail: grouped statistics at the provider
    if kwargs.get("metadata"):
        message.metadata = dict(kwargs["metadata"])  # anymail: comes back with tracking events
    return message


def send_templated_mail(
    *,
    to: str,
    template: str,
    context: dict | None = None,
    language: str | None = None,
    reply_to: Sequence[str] | None = None,
    headers: dict | None = None,
    attachments: Iterable[tuple[str, bytes | str, str]] | None = None,
    from_email: str | None = None,
    tags: Sequence[str] | None = None,
    metadata: dict | None = None,
    connection=None,
) -> bool:
    """Render and send one e-mail to one recipient. Returns False when the address is suppressed."""
    if SuppressedAddress.objects.filter(email__iexact=to).exists():
        logger.info(
            "Not writing to %s (template %s): address suppressed after a bounce or complaint", to, template
        )
        return False
    message = render_templated_mail(
        to=to,
        template=template,
        context=context,
        language=language,
        reply_to=reply_to,
        headers=headers,
        attachments=attachments,
        from_email=from_email,
        tags=tags,
        metadata=metadata,
        connection=connection,
    )
    message.send()
    return True


def open_connection():
    """One connection to reuse across a batch of messages (newsletters, digests)."""
    return get_connection()
