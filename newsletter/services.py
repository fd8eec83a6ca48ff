"""Writes of the newsletter: double opt-in, unsubscribing, bounces, and sending an issue in batches."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from django_q.tasks import async_task

from core.mail import open_connection, send_templated_mail
from core.models import SuppressedAddress
from core.sanitize import markdown_to_html
from newsletter import periods, selectors
from newsletter.models import Delivery, Frequency, NewsletterIssue, PreparedPeriod, Subscriber

logger = logging.getLogger(__name__)

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600
BATCH_SIZE = 500
UNSUBSCRIBE_PLACEHOLDER = "%%UNSUBSCRIBE_URL%%"


class InvalidToken(Exception):
    pass


# Subscriptions ------------------------------------------------------------------------------------


def confirmation_url(*, subscriber: Subscriber, choices: dict | None = None) -> str:
    """A signed link; `choices` (territory, topics, frequency...) travel in it and apply on confirmation."""
    token = signing.TimestampSigner(salt=CONFIRM_SALT).sign_object({"id": subscriber.pk, "choices": choices})
    return settings.SITE_URL + reverse("newsletter:confirm", kwargs={"token": token})


def unsubscribe_url(*, subscriber: Subscriber) -> str:
    token = signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscriber.pk))
    return settings.SITE_URL + reverse("newsletter:unsubscribe", kwargs={"token": token})


@transaction.atomic
def subscribe(
    *,
    email: str,
    scope: str,
    territory_code: str,
    radius_km: int | None,
    topics,
    frequency: str,
    language: str,
) -> Subscriber:
    """Record the wish and send the confirmation e-mail. Nothing is sent to the address before it confirms.

    An address already confirmed keeps its settings until the link is followed: the new choices travel
    signed in the link, so no one can change someone else's subscription by typing their address.
    """
    email = email.strip().lower()
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    settings_ = {
        "scope": scope,
        "territory_code": territory_code,
        "radius_km": radius_km if scope == Subscriber.Scope.RADIUS else None,
        "topics": list(topics),
        "frequency": frequency,
        "language": language,
    }
    created = False
    if subscriber is None:
        try:
            with transaction.atomic():  # a savepoint: a sign-up of the same new address may win the race
                subscriber = Subscriber.objects.create(email=email, **settings_)
            created = True
        except IntegrityError:
            subscriber = Subscriber.objects.select_for_update().get(email=email)
    already_active = subscriber.status == Subscriber.Status.ACTIVE
    if not created and not already_active:
        for name, value in settings_.items():
            setattr(subscriber, name, value)
        subscriber.status = Subscriber.Status.PENDING
        subscriber.save()
    context = {
        "confirm_url": confirmation_url(subscriber=subscriber, choices=settings_ if already_active else None),
        "already_active": already_active,
        "subscriber": subscriber,
    }
    transaction.on_commit(
        lambda: send_templated_mail(
            to=email, template="newsletter/email/confirm", language=subscriber.language, context=context
        )
    )
    return subscriber


def _confirmation_payload(token: str) -> dict:
    try:
        payload = signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(token, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature as error:
        raise InvalidToken from error
    if not isinstance(payload, dict) or "id" not in payload:
        raise InvalidToken
    return payload


def subscriber_from_confirmation(*, token: str) -> Subscriber:
    subscriber = Subscriber.objects.filter(pk=_confirmation_payload(token)["id"]).first()
    if subscriber is None:
        raise InvalidToken
    return subscriber


CHOICE_FIELDS = {"scope", "territory_code", "radius_km", "topics", "frequency", "language"}


def confirm(*, token: str) -> Subscriber:
    payload = _confirmation_payload(token)
    subscriber = Subscriber.objects.filter(pk=payload["id"]).first()
    if subscriber is None:
        raise InvalidToken
    for name, value in (payload.get("choices") or {}).items():
        if name in CHOICE_FIELDS:
            setattr(subscriber, name, value)
    if subscriber.status != Subscriber.Status.ACTIVE:
        subscriber.confirmed_at = timezone.now()
        subscriber.unsubscribed_at = None
    subscriber.status = Subscriber.Status.ACTIVE
    subscriber.save()
    return subscriber


def subscriber_from_unsubscribe(*, token: str) -> Subscriber:
    try:
        pk = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature as error:
        raise InvalidToken from error
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None:
        raise InvalidToken
    return subscriber


def unsubscribe(*, subscriber: Subscriber, status: str = Subscriber.Status.UNSUBSCRIBED) -> Subscriber:
    if subscriber.status in (Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.BOUNCED):
        return subscriber
    subscriber.status = status
    subscriber.unsubscribed_at = timezone.now()
    subscriber.save(update_fields=["status", "unsubscribed_at"])
    return subscriber


def suppressed_address_recorded(*, email: str) -> int:
    """A hard bounce or complaint was recorded: that address stops receiving the newsletter."""
    return Subscriber.objects.filter(
        email__iexact=email, status__in=[Subscriber.Status.ACTIVE, Subscriber.Status.PENDING]
    ).update(status=Subscriber.Status.BOUNCED, unsubscribed_at=timezone.now())


# Rendering ----------------------------------------------------------------------------------------


def _render_parts(*, issue: NewsletterIssue, blocks: dict, territory: str, language: str) -> dict:
    context = {
        "issue": issue,
        "introduction_html": markdown_to_html(issue.introduction),
        "introduction_text": issue.introduction,
        "blocks": blocks,
        "territory": territory,
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        "site_url": settings.SITE_URL,
        "archive_url": settings.SITE_URL + issue.get_absolute_url(),
    }
    with translation.override(language):
        return {
            "body_html": render_to_string("newsletter/email/issue_body.html", context),
            "body_text": render_to_string("newsletter/email/issue_body.txt", context),
        }


class IssueRenderer:
    """Renders each distinct (territory, topics, language) once; only the unsubscribe link is personal.

    A worker process keeps the renderer of the issue it is sending (see `renderer_for`), so the blocks
    of a territory are composed and rendered once per process, not once per batch.
    """

    def __init__(self, *, issue: NewsletterIssue, composed: dict | None = None):
        self.issue = issue
        self.token = (issue.pk, issue.period_start, issue.period_end, issue.introduction, issue.title)
        self.composed = composed or {}
        self.cache: dict[tuple, dict] = {}

    def ensure_keys(self, keys) -> None:
        missing = set(keys) - self.composed.keys()
        if missing:
            self.composed.update(selectors.compose(issue=self.issue, keys=missing))

    def has_content_for(self, subscriber: Subscriber) -> bool:
        return self.composed[subscriber.territory_key].has_content(subscriber.topics)

    def parts_for(self, subscriber: Subscriber) -> dict:
        key = (subscriber.territory_key, tuple(sorted(subscriber.topics)), subscriber.language)
        if key not in self.cache:
            blocks = self.composed[subscriber.territory_key]
            self.cache[key] = _render_parts(
                issue=self.issue,
                blocks=blocks.for_topics(subscriber.topics),
                territory=subscriber.territory_label,
                language=subscriber.language,
            )
        url = unsubscribe_url(subscriber=subscriber)
        return {
            name: part.replace(UNSUBSCRIBE_PLACEHOLDER, url) for name, part in self.cache[key].items()
        } | {"unsubscribe_url": url}


_process_renderer: dict[str, IssueRenderer] = {}


def renderer_for(*, issue: NewsletterIssue) -> IssueRenderer:
    renderer = _process_renderer.get("current")
    if renderer is None or renderer.token != IssueRenderer(issue=issue).token:
        renderer = _process_renderer["current"] = IssueRenderer(issue=issue)
    return renderer


def issue_preview(*, issue: NewsletterIssue, subscriber: Subscriber) -> dict:
    """What this subscriber would receive: subject, HTML and text."""
    composed = selectors.compose(issue=issue, keys={subscriber.territory_key})
    renderer = IssueRenderer(issue=issue, composed=composed)
    parts = renderer.parts_for(subscriber)
    return {"subject": issue.title, "empty": not renderer.has_content_for(subscriber), **parts}


# Sending ------------------------------------------------------------------------------------------


@transaction.atomic
def issue_send(*, issue: NewsletterIssue) -> int:
    """Start sending: one pending Delivery per recipient (set-based), then batches queued to the workers.

    Safe to call again (after a crash, or twice by mistake): existing deliveries are kept, and only
    pending ones are queued again.
    """
    issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status == NewsletterIssue.Status.SENT:
        return 0
    if issue.status == NewsletterIssue.Status.DRAFT:
        issue.status = NewsletterIssue.Status.SENDING
        issue.sending_started_at = timezone.now()
    subscriber_ids = list(selectors.recipients(issue=issue).values_list("pk", flat=True))
    Delivery.objects.bulk_create(
        [Delivery(issue=issue, subscriber_id=pk) for pk in subscriber_ids],
        batch_size=2000,
        ignore_conflicts=True,
    )
    issue.recipient_count = issue.deliveries.count()
    issue.save(update_fields=["status", "sending_started_at", "recipient_count"])
    pending = list(
        issue.deliveries.filter(status=Delivery.Status.PENDING).order_by("pk").values_list("pk", flat=True)
    )
    batches = [pending[start : start + BATCH_SIZE] for start in range(0, len(pending), BATCH_SIZE)]
    issue_id = issue.pk

    def enqueue():
        for batch in batches:
            async_task("newsletter.tasks.send_batch", issue_id, batch, task_name=f"newsletter-{issue_id}")

    transaction.on_commit(enqueue)
    return len(pending)


def batch_send(*, issue_id: int, delivery_ids: list[int]) -> dict:
    """Send one batch. Each delivery is claimed (pending -> sending) just before its message leaves."""
    issue = NewsletterIssue.objects.get(pk=issue_id)
    deliveries = list(
        Delivery.objects.filter(pk__in=delivery_ids, status=Delivery.Status.PENDING).select_related(
            "subscriber"
        )
    )
    counts = {"sent": 0, "skipped": 0, "empty": 0, "failed": 0}
    if deliveries:
        emails = [delivery.subscriber.email for delivery in deliveries]
        suppressed = {
            e.lower()
            for e in SuppressedAddress.objects.filter(email__in=emails).values_list("email", flat=True)
        }
        renderer = renderer_for(issue=issue)
        renderer.ensure_keys({delivery.subscriber.territory_key for delivery in deliveries})
        connection = open_connection()
        connection.open()
        try:
            for delivery in deliveries:
                claimed = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(
                    status=Delivery.Status.SENDING, attempts=F("attempts") + 1, updated_at=timezone.now()
                )
                if not claimed:
                    continue  # another worker took it
                outcome = _send_one(
                    issue=issue,
                    delivery=delivery,
                    renderer=renderer,
                    suppressed=suppressed,
                    connection=connection,
                )
                counts[outcome] += 1
        finally:
            connection.close()
    issue_finish_if_done(issue=issue)
    return counts


def _send_one(*, issue, delivery, renderer, suppressed, connection) -> str:
    subscriber = delivery.subscriber
    if subscriber.email.lower() in suppressed or subscriber.status != Subscriber.Status.ACTIVE:
        _delivery_end(delivery, Delivery.Status.SKIPPED)
        if subscriber.email.lower() in suppressed:
            suppressed_address_recorded(email=subscriber.email)
        return "skipped"
    if not renderer.has_content_for(subscriber):
        _delivery_end(delivery, Delivery.Status.EMPTY)
        return "empty"
    parts = renderer.parts_for(subscriber)
    try:
        sent = send_templated_mail(
            to=subscriber.email,
            template="newsletter/email/issue",
            language=subscriber.language,
            context={"issue": issue, **parts},
            headers={
                "List-Unsubscribe": f"<{parts['unsubscribe_url']}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
            tags=["newsletter"],
            metadata={"newsletter_issue": str(issue.pk), "delivery": str(delivery.pk)},
            connection=connection,
        )
    except Exception as error:  # a provider error for one address must not stop the batch
        logger.exception("Newsletter %s to %s failed", issue.pk, subscriber.email)
        _delivery_end(delivery, Delivery.Status.FAILED, error=str(error)[:300])
        return "failed"
    _delivery_end(delivery, Delivery.Status.SENT if sent else Delivery.Status.SKIPPED)
    return "sent" if sent else "skipped"


def _delivery_end(delivery, status: str, **fields) -> None:
    # `.update()` does not touch auto_now fields: set updated_at so the resume job sees the progress.
    Delivery.objects.filter(pk=delivery.pk).update(status=status, updated_at=timezone.now(), **fields)


UNFINISHED_DELIVERY_STATES = [Delivery.Status.PENDING, Delivery.Status.SENDING]


def issue_finish_if_done(*, issue: NewsletterIssue) -> bool:
    """An issue is sent once every delivery has ended (none pending, none claimed by a worker)."""
    updated = (
        NewsletterIssue.objects.filter(pk=issue.pk, status=NewsletterIssue.Status.SENDING)
        .exclude(deliveries__status__in=UNFINISHED_DELIVERY_STATES)
        .update(status=NewsletterIssue.Status.SENT, sent_at=timezone.now())
    )
    return bool(updated)


MAX_DELIVERY_ATTEMPTS = 2


def claims_expire(*, issue: NewsletterIssue, claimed_before) -> int:
    """Deliveries claimed ("sending") before `claimed_before` belong to a worker that died: retry them once
    (back to pending), then give up with a failure that the issue's report shows."""
    stale = issue.deliveries.filter(status=Delivery.Status.SENDING, updated_at__lt=claimed_before)
    now = timezone.now()
    retried = stale.filter(attempts__lt=MAX_DELIVERY_ATTEMPTS).update(
        status=Delivery.Status.PENDING, updated_at=now, error="interrupted, retried"
    )
    failed = stale.update(status=Delivery.Status.FAILED, updated_at=now, error="interrupted twice")
    if retried or failed:
        logger.warning(
            "Newsletter %s: %s interrupted deliveries retried, %s given up", issue.pk, retried, failed
        )
    return retried


def issues_resume(
    *,
    stalled_after: timedelta = timedelta(minutes=10),
    claim_expires_after: timedelta = timedelta(minutes=15),
) -> int:
    """Queue again the pending deliveries of issues whose sending stalled (a worker restarted).

    An issue counts as stalled when none of its deliveries moved for `stalled_after` (every status change
    sets `updated_at`), so batches still waiting in a busy queue are not queued twice (harmless, each row is
    claimed, but useless). Claims older than `claim_expires_after` are retried (see `claims_expire`).
    """
    queued = 0
    now = timezone.now()
    quiet_since = now - stalled_after
    for issue in NewsletterIssue.objects.filter(status=NewsletterIssue.Status.SENDING):
        if stalled_after and issue.deliveries.filter(updated_at__gt=quiet_since).exists():
            continue
        claims_expire(issue=issue, claimed_before=now - claim_expires_after)
        queued += issue_send(issue=issue)
        issue_finish_if_done(issue=issue)
    return queued


# Automatic issues -------------------------------------------------------------------------------


def _period_title(period: periods.Period) -> str:
    """Issue titles are content, written in the source language like an editor's."""
    with translation.override(settings.LANGUAGE_CODE):
        if period.frequency == Frequency.WEEKLY:
            return _("La lettre de Transiscope — semaine du %(first)s au %(last)s") % {
                "first": date_format(period.start.astimezone(periods.PARIS).date(), "j F"),
                "last": date_format(period.last_day, "j F Y"),
            }
        return _("La lettre de Transiscope — %(month)s") % {"month": date_format(period.last_day, "F Y")}


@transaction.atomic
def _period_prepare(*, period: periods.Period) -> NewsletterIssue | None:
    prepared, created = PreparedPeriod.objects.get_or_create(
        frequency=period.frequency, period_start=period.start, defaults={"period_end": period.end}
    )
    if not created:
        return None  # done before, even if the draft was deleted since
    # An issue an editor made by hand may already cover the period, or its beginning.
    covered_until = NewsletterIssue.objects.filter(
        frequency=period.frequency, period_start__lt=period.end, period_end__gt=period.start
    ).aggregate(end=Max("period_end"))["end"]
    if covered_until and covered_until >= period.end:
        return None
    issue = NewsletterIssue.objects.create(
        title=_period_title(period),
        frequency=period.frequency,
        period_start=max(period.start, covered_until) if covered_until else period.start,
        period_end=period.end,
        created_automatically=True,
    )
    prepared.issue = issue
    prepared.save(update_fields=["issue"])
    return issue


def automatic_issues_prepare(*, now=None) -> list[NewsletterIssue]:
    """For each frequency whose period has ended, prepare its draft once and tell the communication group.

    Runs every hour; each period is prepared at most once (a unique row per period), so running it
    again, or on two workers at once, prepares nothing more.
    """
    now = now or timezone.now()
    prepared = []
    for frequency in Frequency.values:
        issue = _period_prepare(period=periods.last_due_period(frequency=frequency, now=now))
        if issue is not None:
            prepared.append(issue)
            draft_ready_notify(issue=issue)
    return prepared


def draft_ready_notify(*, issue: NewsletterIssue) -> int:
    """E-mail the communication group: where to edit and preview the draft, and how many will receive it."""
    from accounts import permissions
    from accounts.roles import COMMUNICATION_GROUP

    people = (
        permissions.members_of_role(COMMUNICATION_GROUP)
        .exclude(email="")
        .values_list("email", "preferred_language")
        .distinct()
    )
    context = {
        "issue": issue,
        "edit_url": settings.SITE_URL
        + reverse("wagtailsnippets_newsletter_newsletterissue:edit", args=[issue.pk]),
        "preview_url": settings.SITE_URL + reverse("newsletter_issue_preview", args=[issue.pk]),
        "send_url": settings.SITE_URL + reverse("newsletter_issue_send", args=[issue.pk]),
        "recipient_count": selectors.recipient_count(issue=issue),
        "auto_send_at": selectors.auto_send_at(issue=issue),
    }
    written = 0
    for email, language in people:
        try:
            written += send_templated_mail(
                to=email, template="newsletter/email/draft_ready", language=language, context=context
            )
        except Exception:  # one unreachable editor must not keep the others uninformed
            logger.exception("Could not tell %s about newsletter draft %s", email, issue.pk)
    if not people:
        logger.warning(
            "Newsletter draft %s prepared, but the communication group has nobody to tell", issue.pk
        )
    return written


@transaction.atomic
def _auto_send(*, issue_id: int, created_before) -> bool:
    issue = (
        NewsletterIssue.objects.select_for_update()
        .filter(
            pk=issue_id,
            created_automatically=True,
            status=NewsletterIssue.Status.DRAFT,
            held=False,
            created_at__lte=created_before,
        )
        .first()
    )
    if issue is None:
        return False  # sent, held or deleted by an editor meanwhile
    issue_send(issue=issue)
    return True


def automatic_issues_send_due(*, now=None) -> list[int]:
    """Send, as an editor would, the automatic drafts left untouched for NEWSLETTER_AUTO_SEND_AFTER_HOURS."""
    hours = settings.NEWSLETTER_AUTO_SEND_AFTER_HOURS
    if hours is None:
        return []
    created_before = (now or timezone.now()) - timedelta(hours=hours)
    due = NewsletterIssue.objects.filter(
        created_automatically=True,
        status=NewsletterIssue.Status.DRAFT,
        held=False,
        created_at__lte=created_before,
    ).values_list("pk", flat=True)
    return [pk for pk in list(due) if _auto_send(issue_id=pk, created_before=created_before)]
