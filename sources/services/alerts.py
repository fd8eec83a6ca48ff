"""Alerts to a source's maintainers and contact: new reports, problems with runs, and recoveries.

A problem is told once per incident: the first run of a kind (map feed or agenda) that ends in `errors`
or `failed` opens an `Incident` and sends an alert; later bad runs of that kind say nothing; the next
`completed` run closes the incident and sends the recovery. Each maintainer receives alerts at once or
in one daily digest (`AlertPreference`); the source's contact address, which has no account, at once.
A check `held` for a sharp drop (it waits for a maintainer's confirmation) is told even during an open
incident, once per held drop.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.mail import render_templated_mail, send_templated_mail
from sources.models import AlertPreference, ImportRun, Incident, PendingAlert, Report, Source

logger = logging.getLogger(__name__)


def run_finished(*, run: ImportRun) -> None:
    """Apply the once-per-incident rule to a finished run of any kind, and alert when it says so."""
    if not run.is_finished:
        return
    source = run.source
    open_incident = Incident.objects.filter(source=source, kind=run.kind, closed_at__isnull=True).first()
    if run.state == ImportRun.State.HELD:
        _held(run=run, open_incident=open_incident)
    elif run.state in (ImportRun.State.ERRORS, ImportRun.State.FAILED):
        if open_incident:
            return
        try:
            with transaction.atomic():
                Incident.objects.create(
                    source=source, kind=run.kind, opened_by=run, opened_at=run.finished_at
                )
        except IntegrityError:
            return  # another worker opened it at the same moment and alerted
        notify(source=source, template="sources/email/run_problem", context={"run": run})
    elif run.state == ImportRun.State.COMPLETED and open_incident:
        open_incident.closed_by = run
        open_incident.closed_at = run.finished_at or timezone.now()
        open_incident.save(update_fields=["closed_by", "closed_at"])
        notify(
            source=source,
            template="sources/email/run_recovered",
            context={"run": run, "incident": open_incident},
        )


def _held(*, run: ImportRun, open_incident) -> None:
    """A held check asks the maintainers for something: it is told even during an open incident (a
    source whose feed always has a few broken records has one open for good), but once per held drop:
    not again while the checks after it stay held."""
    if open_incident is None:
        try:
            with transaction.atomic():
                Incident.objects.create(
                    source=run.source, kind=run.kind, opened_by=run, opened_at=run.finished_at
                )
        except IntegrityError:
            pass
    before = (
        run.source.runs.filter(
            kind=run.kind, state__in=ImportRun.FINISHED_STATES, started_at__lte=run.started_at
        )
        .exclude(pk=run.pk)
        .order_by("-started_at", "-id")
        .first()
    )
    if before is None or before.state != ImportRun.State.HELD:
        notify(source=run.source, template="sources/email/run_problem", context={"run": run})


def report_created(*, report: Report) -> None:
    notify(source=report.source, template="sources/email/report_new", context={"report": report})


def recipients(*, source: Source) -> list[tuple[str, object]]:
    """(e-mail, user or None) for every active maintainer and the contact address, each address once."""
    seen = set()
    result = []
    for user in source.maintainers.filter(is_active=True).exclude(email=""):
        if user.email.lower() not in seen:
            seen.add(user.email.lower())
            result.append((user.email, user))
    if source.contact_email and source.contact_email.lower() not in seen:
        result.append((source.contact_email, None))
    return result


def wants_digest(user) -> bool:
    return AlertPreference.objects.filter(user=user, mode=AlertPreference.Mode.DAILY_DIGEST).exists()


def notify(*, source: Source, template: str, context: dict) -> int:
    """Send (or keep for the digest) one alert to each recipient. Returns how many were sent at once."""
    context = {"source": source, "dashboard_path": source.get_absolute_url(), **context}
    sent = 0
    for email, user in recipients(source=source):
        if user is not None and wants_digest(user):
            message = render_templated_mail(to=email, template=template, context=context)
            PendingAlert.objects.create(
                user=user,
                source=source,
                subject=message.subject.removeprefix("[Transiscope] "),
                body=message.body,
                url=context["dashboard_path"],
            )
            continue
        try:
            sent += int(send_templated_mail(to=email, template=template, context=context, tags=["sources"]))
        except Exception:  # a mail server hiccup must not fail the run that triggered the alert
            logger.exception("Could not send %s to %s", template, email)
    return sent


def send_daily_digests() -> int:
    """One e-mail per maintainer gathering the alerts kept since their last digest. Returns mails sent."""
    pending = PendingAlert.objects.filter(sent_at__isnull=True).select_related("user", "source")
    by_user: dict = {}
    for alert in pending:
        by_user.setdefault(alert.user, []).append(alert)
    sent = 0
    for user, alerts in by_user.items():
        if user.is_active and user.email:
            send_templated_mail(
                to=user.email, template="sources/email/digest", context={"alerts": alerts, "user": user}
            )
            sent += 1
        PendingAlert.objects.filter(pk__in=[alert.pk for alert in alerts]).update(sent_at=timezone.now())
    return sent
