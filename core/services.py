"""Writes of the kernel: the e-mail suppression list fed by the provider's tracking webhook, and the
one-time tokens that keep a form from being stored twice."""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict
from core.models import SubmissionToken, SuppressedAddress

logger = logging.getLogger(__name__)

# anymail event types that mean "stop writing to this address", and the reason recorded.
SUPPRESSING_EVENTS = {
    "bounced": SuppressedAddress.Reason.BOUNCED,
    "complained": SuppressedAddress.Reason.COMPLAINED,
    "rejected": SuppressedAddress.Reason.REJECTED,
    "unsubscribed": SuppressedAddress.Reason.UNSUBSCRIBED,
}


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


def submission_claim(*, token: str) -> None:
    """Accept a form's token once. Call it inside the transaction that stores what the form creates: when
    that transaction fails, the token is free again. A form sent without a token (an old page) passes."""

    if not token:
        return
    try:
        with transaction.atomic():
            SubmissionToken.objects.create(token=token)
    except IntegrityError:
        raise Conflict(_("Ce formulaire a déjà été envoyé : votre premier envoi a bien été reçu.")) from None


def submission_tokens_clear(*, older_than_days: int = 2) -> int:
    deleted, _count = SubmissionToken.objects.filter(
        created_at__lt=timezone.now() - timedelta(days=older_than_days)
    ).delete()
    return deleted
