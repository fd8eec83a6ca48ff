"""Writes of the home app: form answers and the e-mail suppression list."""

import logging

from django.db import transaction
from django.db.models import F

from home.forms import HoneypotFormMixin
from home.mail import send_templated_mail
from home.models import FormPage, PortalFormSubmission, SuppressedAddress

logger = logging.getLogger(__name__)

# anymail event types that mean "stop writing to this address", and the reason recorded.
SUPPRESSING_EVENTS = {
    "bounced": SuppressedAddress.Reason.BOUNCED,
    "complained": SuppressedAddress.Reason.COMPLAINED,
    "rejected": SuppressedAddress.Reason.REJECTED,
    "unsubscribed": SuppressedAddress.Reason.UNSUBSCRIBED,
}


def _answers(form) -> dict:
    return {
        name: value
        for name, value in form.cleaned_data.items()
        if name != HoneypotFormMixin.honeypot_field_name
    }


def form_submission_create(*, page: FormPage, form, user=None) -> PortalFormSubmission:
    """Store an answer to a form page (without the honeypot) and notify the page's recipients."""
    submission = PortalFormSubmission.objects.create(
        page=page,
        form_data=_answers(form),
        user=user if user is not None and user.is_authenticated else None,
    )
    if page.to_address:
        transaction.on_commit(lambda: form_submission_notify(page=page, form=form))
    return submission


def form_submission_notify(*, page: FormPage, form) -> None:
    labels = {field.clean_name: field.label for field in page.get_form_fields()}
    answers = [
        (labels.get(name, name), ", ".join(value) if isinstance(value, list) else value)
        for name, value in _answers(form).items()
    ]
    for address in [item.strip() for item in page.to_address.split(",") if item.strip()]:
        send_templated_mail(
            to=address,
            template="home/email/form_submission",
            context={"page_title": page.title, "subject": page.subject, "answers": answers},
            from_email=page.from_address or None,
        )


def record_tracking_event(*, event) -> SuppressedAddress | None:
    """Record an anymail tracking event: bounces, complaints and rejections suppress the address.

    A soft bounce (the provider says the failure is temporary) does not."""
    reason = SUPPRESSING_EVENTS.get(event.event_type)
    if reason is None or not event.recipient:
        return None
    if event.event_type == "bounced" and _is_soft_bounce(event):
        return None
    email = event.recipient.strip().lower()
    detail = " ".join(filter(None, [event.reject_reason, event.description, event.mta_response]))
    suppressed, created = SuppressedAddress.objects.get_or_create(
        email=email, defaults={"reason": reason, "detail": detail[:2000]}
    )
    if not created:
        SuppressedAddress.objects.filter(pk=suppressed.pk).update(events=F("events") + 1)
        suppressed.refresh_from_db()
    logger.info("Address %s suppressed after a %s event", email, event.event_type)
    return suppressed


def _is_soft_bounce(event) -> bool:
    """Brevo and Mailgun mark temporary failures; anymail maps most soft bounces to "deferred"
    already, but Brevo's "soft_bounce" arrives as "bounced" with reject_reason "bounced" too."""
    raw = event.esp_event
    if isinstance(raw, dict):
        kind = str(raw.get("event") or raw.get("severity") or "").lower()
        if kind in {"soft_bounce", "temporary"}:
            return True
    return False
