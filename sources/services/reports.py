"""Reports (signalements) on a source's alternatives: from the portal's form and from GoGoCarto.

The reasons are GoGoCarto's values (0, 1, 2, 4). A report posted twice with the same content is stored
once, so GoGoCarto retrying its POST does not double the work.
"""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.mail import send_templated_mail
from sources.models import Report, Source, SourceElement
from sources.services import alerts

GOGOCARTO_FIELDS = ("elementId", "gogoId", "url", "elementName", "value", "userEmail", "comment")


class InvalidReport(ValueError):
    """A report that cannot be accepted; the message says why, in one line."""


def fingerprint(
    *, channel: str, element_id: str, gogo_id: str, reason: int, reporter_email: str, comment: str
) -> str:
    payload = json.dumps(
        [
            channel,
            element_id.strip(),
            gogo_id.strip(),
            int(reason),
            reporter_email.strip().lower(),
            " ".join(comment.split()),
        ]
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def create_report(
    *,
    source: Source,
    reason: int,
    channel: str = Report.Channel.PORTAL,
    element_id: str = "",
    gogo_id: str = "",
    url: str = "",
    element_name: str = "",
    comment: str = "",
    reporter_email: str = "",
) -> tuple[Report, bool]:
    """Store a report (once) and alert the source's maintainers. Returns (report, created)."""
    if reason not in Report.Reason.values:
        raise InvalidReport(f"Motif inconnu : {reason}")
    if not (element_id or gogo_id or url):
        raise InvalidReport("Il faut l'identifiant de l'alternative ou son adresse sur la carte")
    if element_id and not element_name:
        element_name = (
            SourceElement.objects.filter(source=source, element_id=element_id)
            .values_list("name", flat=True)
            .first()
            or ""
        )
    key = fingerprint(
        channel=channel,
        element_id=element_id,
        gogo_id=gogo_id,
        reason=reason,
        reporter_email=reporter_email,
        comment=comment,
    )
    existing = Report.objects.filter(source=source, fingerprint=key).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            report = Report.objects.create(
                source=source,
                channel=channel,
                element_id=element_id[:300],
                gogo_id=gogo_id[:100],
                url=url[:1000],
                element_name=element_name[:500],
                reason=reason,
                comment=comment[:5000],
                reporter_email=reporter_email,
                fingerprint=key,
            )
    except IntegrityError:
        return Report.objects.get(source=source, fingerprint=key), False
    alerts.report_created(report=report)
    return report, True


def parse_gogocarto_post(data) -> dict:
    """Check GoGoCarto's form-POST and return `create_report` arguments, or raise `InvalidReport`."""
    unknown_value = data.get("value", "").strip()
    if unknown_value == "":
        raise InvalidReport("Champ « value » manquant (motif du signalement : 0, 1, 2 ou 4)")
    try:
        reason = int(unknown_value)
    except ValueError:
        raise InvalidReport(
            f"Champ « value » invalide : « {unknown_value[:20]} » n'est pas un nombre"
        ) from None
    if reason not in Report.Reason.values:
        raise InvalidReport(f"Champ « value » invalide : {reason} (attendu 0, 1, 2 ou 4)")
    element_id = data.get("elementId", "").strip()
    gogo_id = data.get("gogoId", "").strip()
    if not element_id and not gogo_id:
        raise InvalidReport(
            "Il manque « elementId » et « gogoId » : impossible de savoir quelle alternative est signalée"
        )
    email = data.get("userEmail", "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidReport("Champ « userEmail » invalide : ce n'est pas une adresse e-mail") from None
    url = data.get("url", "").strip()
    if url:
        try:
            URLValidator()(url)
        except ValidationError:
            raise InvalidReport("Champ « url » invalide : ce n'est pas une adresse web") from None
    return {
        "reason": reason,
        "channel": Report.Channel.GOGOCARTO,
        "element_id": element_id,
        "gogo_id": gogo_id,
        "url": url,
        "element_name": data.get("elementName", "").strip(),
        "comment": data.get("comment", "").strip(),
        "reporter_email": email,
    }


def set_report_status(*, report: Report, status: str, message: str = "", by=None) -> Report:
    """Move a report along (new → acknowledged → fixed/rejected); tell the reporter when it is resolved."""
    if status not in Report.Status.values:
        raise InvalidReport(f"Statut inconnu : {status}")
    report.status = status
    report.resolution_message = message.strip()
    if status in Report.RESOLVED_STATUSES:
        report.resolved_at = report.resolved_at or timezone.now()
        report.resolved_by = by if by is not None and by.is_authenticated else report.resolved_by
    else:
        report.resolved_at = None
    report.save()
    if status in Report.RESOLVED_STATUSES:
        notify_reporter(report=report)
    return report


def notify_reporter(*, report: Report) -> bool:
    """Tell the person who reported (if they left an address) how it ended, once per resolution."""
    if (
        not report.reporter_email
        or report.reporter_notified_at
        or report.status not in Report.RESOLVED_STATUSES
    ):
        return False
    send_templated_mail(
        to=report.reporter_email, template="sources/email/report_resolved", context={"report": report}
    )
    report.reporter_notified_at = timezone.now()
    Report.objects.filter(pk=report.pk).update(reporter_notified_at=report.reporter_notified_at)
    return True
