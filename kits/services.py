"""Writes of the kits app: FAQ drafts, progress, registrations and the waiting list, reminders,
attendance, feedback, one-to-one requests, version notices."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify

from wagtail.models import Locale

from home.mail import send_templated_mail
from home.sanitize import sanitize_html
from kits.ics import session_calendar
from kits.models import (
    FaqEntry,
    FollowUpNote,
    KitPage,
    KitProgress,
    OneToOneRequest,
    Registration,
    SessionFeedback,
    TrainingSession,
)
from kits.selectors import session_when, source_kit

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------------------
# FAQ
# ---------------------------------------------------------------------------------------------------------


def _unique_faq_slug(*, question: str, locale: Locale) -> str:
    base = slugify(question)[:100] or "question"
    slug, n = base, 2
    while FaqEntry.objects.filter(locale=locale, slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def faq_entry_create_draft(*, question: str, answer_html: str, by, origin_url: str = "") -> FaqEntry:
    """Create an unpublished FAQ entry (e.g. from a solved forum topic) for editors to review.

    The answer HTML is sanitised; the entry is in the active language's locale (the default locale when
    that language has none), gets a unique slug from the question, `live=False`, and a first revision.
    """
    language = translation.get_language() or settings.LANGUAGE_CODE
    locale = Locale.objects.filter(language_code=language).first() or Locale.get_default()
    entry = FaqEntry(
        question=question.strip()[:300],
        answer=sanitize_html(answer_html),
        slug=_unique_faq_slug(question=question, locale=locale),
        locale=locale,
        origin_url=origin_url,
        created_by=by,
        live=False,
        has_unpublished_changes=True,
    )
    entry.save()
    entry.save_revision(user=by, log_action=True)
    return entry


# ---------------------------------------------------------------------------------------------------------
# Progress
# ---------------------------------------------------------------------------------------------------------


def kit_step_set(*, user, kit: KitPage, step_id: str, done: bool) -> KitProgress:
    """Tick (or untick) one step of a kit. Unknown step ids are refused."""
    if step_id not in kit.step_ids():
        raise ValueError(f"Unknown step {step_id!r} for kit {kit.pk}")
    with transaction.atomic():
        progress, _created = KitProgress.objects.select_for_update().get_or_create(
            user=user, kit=source_kit(kit)
        )
        steps = [step for step in progress.done_steps if step != step_id]
        if done:
            steps.append(step_id)
        progress.done_steps = steps
        progress.save(update_fields=["done_steps", "updated_at"])
    return progress


def kit_mark_done(*, user, kit: KitPage, done: bool = True) -> KitProgress:
    """Mark a kit done (every step ticked, at the kit's current version) or not done."""
    with transaction.atomic():
        progress, _created = KitProgress.objects.select_for_update().get_or_create(
            user=user, kit=source_kit(kit)
        )
        if done:
            progress.done_steps = kit.step_ids()
            progress.completed_at = timezone.now()
            progress.completed_version = kit.version
            progress.notified_version = kit.version
        else:
            progress.completed_at = None
            progress.completed_version = None
        progress.save()
    return progress


def kit_notify_new_version(*, kit: KitPage) -> int:
    """Tell everyone who completed an older version of the kit what changed since. Sent once per version.

    Returns the number of people written to.
    """
    kit = source_kit(kit)
    changes = [change for change in kit.changes.all() if change.version]
    sent = 0
    candidates = KitProgress.objects.filter(
        kit=kit, completed_at__isnull=False, completed_version__lt=kit.version
    ).select_related("user")
    for progress in candidates:
        claimed = (
            KitProgress.objects.filter(pk=progress.pk)
            .exclude(notified_version__gte=kit.version)
            .update(notified_version=kit.version)
        )
        if not claimed:
            continue
        news = sorted(
            (c for c in changes if c.version > (progress.completed_version or 0)), key=lambda c: c.version
        )
        locale = Locale.objects.filter(language_code=progress.user.preferred_language).first()
        page = kit.get_translation_or_none(locale) if locale else None
        page = page if page is not None and page.live else kit
        send_templated_mail(
            to=progress.user.email,
            template="kits/email/kit_new_version",
            context={"kit": page, "kit_url": page.full_url, "changes": news, "progress": progress},
            tags=["kits", "new-version"],
        )
        sent += 1
    return sent


# ---------------------------------------------------------------------------------------------------------
# Registrations
# ---------------------------------------------------------------------------------------------------------


class RegistrationClosed(Exception):
    """The session is cancelled or already started."""


def _send_registration_mail(*, registration: Registration, template: str) -> None:
    session = registration.session
    attachments = None
    if registration.status == Registration.Status.CONFIRMED:
        calendar = session_calendar(sessions=[session], for_registrant=True, method="REQUEST")
        attachments = [("formation.ics", calendar, "text/calendar; method=REQUEST; charset=utf-8")]
    send_templated_mail(
        to=registration.user.email,
        template=template,
        context={
            "registration": registration,
            "session": session,
            "when": session_when(session),
            "session_url": settings.SITE_URL + session.get_absolute_url(),
            "cancel_url": settings.SITE_URL + registration.get_cancel_url(),
        },
        attachments=attachments,
        tags=["kits", "registration"],
    )


def registration_create(*, session: TrainingSession, user) -> Registration:
    """Register a person: a seat while there is one, the waiting list otherwise.

    The session row is locked (`select_for_update`; on SQLite the write transaction is taken at BEGIN)
    so two people racing for the last seat never both get it. Registering again after cancelling reuses
    the registration, at the end of the queue. The confirmation (with an .ics) leaves after commit.
    """
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if locked.is_cancelled or locked.start <= timezone.now():
            raise RegistrationClosed
        existing = Registration.objects.filter(session=locked, user=user).first()
        if existing and existing.status != Registration.Status.CANCELLED:
            return existing
        confirmed = Registration.objects.filter(session=locked, status=Registration.Status.CONFIRMED).count()
        status = Registration.Status.CONFIRMED if confirmed < locked.capacity else Registration.Status.WAITING
        if existing:
            existing.status = status
            existing.registered_at = timezone.now()
            existing.cancelled_at = None
            existing.reminder_24h_sent_at = existing.reminder_1h_sent_at = None
            existing.save()
            registration = existing
        else:
            registration = Registration.objects.create(session=locked, user=user, status=status)
        template = (
            "kits/email/registration_confirmed"
            if status == Registration.Status.CONFIRMED
            else "kits/email/registration_waiting"
        )
        transaction.on_commit(lambda: _send_registration_mail(registration=registration, template=template))
    return registration


def registration_cancel(*, registration: Registration) -> Registration | None:
    """Cancel a registration; a freed seat goes to the first person on the waiting list, who is told.

    Returns the promoted registration, if any.
    """
    promoted = None
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=registration.session_id)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            return None
        was_confirmed = registration.status == Registration.Status.CONFIRMED
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        if was_confirmed and session.start > timezone.now():
            promoted = _promote_waiting(session=session)
    return promoted


def _promote_waiting(*, session: TrainingSession) -> Registration | None:
    confirmed = Registration.objects.filter(session=session, status=Registration.Status.CONFIRMED).count()
    if confirmed >= session.capacity:
        return None
    promoted = (
        Registration.objects.filter(session=session, status=Registration.Status.WAITING)
        .order_by("registered_at", "pk")
        .first()
    )
    if promoted is None:
        return None
    promoted.status = Registration.Status.CONFIRMED
    promoted.promoted_at = timezone.now()
    promoted.save(update_fields=["status", "promoted_at"])
    transaction.on_commit(
        lambda: _send_registration_mail(registration=promoted, template="kits/email/registration_promoted")
    )
    return promoted


def session_capacity_changed(*, session: TrainingSession) -> list[Registration]:
    """After an editor raised the capacity, move people from the waiting list into the new seats."""
    promoted = []
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        while (registration := _promote_waiting(session=locked)) is not None:
            promoted.append(registration)
    return promoted


# ---------------------------------------------------------------------------------------------------------
# Reminders
# ---------------------------------------------------------------------------------------------------------

REMINDERS = (
    # (flag field, how long before the start)
    ("reminder_24h_sent_at", timedelta(hours=24)),
    ("reminder_1h_sent_at", timedelta(hours=1)),
)


def session_send_due_reminders(*, now=None) -> int:
    """Send the 24 h and 1 h reminders that are due. Each is sent once: the flag is claimed by a
    conditional UPDATE before sending, so overlapping runs cannot both send it. A person who registered
    less than 1 h before the start gets only the 1 h reminder. Returns the number of e-mails sent."""
    now = now or timezone.now()
    sent = 0
    for field, before in REMINDERS:
        due = Registration.objects.filter(
            status=Registration.Status.CONFIRMED,
            session__is_cancelled=False,
            session__start__gt=now,
            session__start__lte=now + before,
            **{f"{field}__isnull": True},
        ).select_related("session__kit", "user")
        for registration in due:
            if field == "reminder_24h_sent_at" and registration.session.start <= now + timedelta(hours=1):
                Registration.objects.filter(pk=registration.pk).update(reminder_24h_sent_at=now)
                continue
            claimed = Registration.objects.filter(pk=registration.pk, **{f"{field}__isnull": True}).update(
                **{field: now}
            )
            if not claimed:
                continue
            session = registration.session
            send_templated_mail(
                to=registration.user.email,
                template="kits/email/session_reminder",
                context={
                    "registration": registration,
                    "session": session,
                    "when": session_when(session),
                    "soon": field == "reminder_1h_sent_at",
                    "session_url": settings.SITE_URL + session.get_absolute_url(),
                    "cancel_url": settings.SITE_URL + registration.get_cancel_url(),
                },
                tags=["kits", "reminder"],
            )
            sent += 1
    return sent


# ---------------------------------------------------------------------------------------------------------
# Attendance and feedback
# ---------------------------------------------------------------------------------------------------------


def attendance_mark(*, session: TrainingSession, by, present_ids: set[int]) -> int:
    """The trainer (or staff) records who came: confirmed registrations in `present_ids` attended, the
    other confirmed ones did not. Returns the number marked present."""
    if not session.is_trainer_or_staff(by):
        raise PermissionError("Only the trainer or staff mark attendance")
    confirmed = session.registrations.filter(status=Registration.Status.CONFIRMED)
    with transaction.atomic():
        present = confirmed.filter(pk__in=present_ids).update(attended=True)
        confirmed.exclude(pk__in=present_ids).update(attended=False)
    return present


def feedback_submit(*, registration: Registration, rating: int, useful: str = "", improve: str = ""):
    """Record (or update) a participant's feedback on a session they attended, once it has started."""
    if registration.status != Registration.Status.CONFIRMED or registration.session.start > timezone.now():
        raise PermissionError("Feedback comes from participants after the session")
    feedback, _created = SessionFeedback.objects.update_or_create(
        registration=registration, defaults={"rating": rating, "useful": useful, "improve": improve}
    )
    return feedback


# ---------------------------------------------------------------------------------------------------------
# One-to-one requests
# ---------------------------------------------------------------------------------------------------------


def one_to_one_request_create(*, user, topic: str, message: str, availability: str = "") -> OneToOneRequest:
    """A person asks for a one-to-one exchange; the group in charge is told by e-mail."""
    from accounts.models import User

    request = OneToOneRequest.objects.create(
        user=user, topic=topic, message=message, availability=availability
    )
    recipients = User.objects.filter(is_active=True, groups__name=request.group_role).values_list(
        "email", flat=True
    )

    def notify():
        for email in set(recipients):
            send_templated_mail(
                to=email,
                template="kits/email/one_to_one_new",
                context={"request": request, "url": settings.SITE_URL + request.get_absolute_url()},
                tags=["kits", "one-to-one"],
            )

    transaction.on_commit(notify)
    return request


def can_follow_up(*, user, request: OneToOneRequest) -> bool:
    """Staff and the group in charge of the topic see and handle a request (and its notes)."""
    return bool(user.is_authenticated and (user.is_staff or user.has_role(request.group_role)))


def one_to_one_update(*, request: OneToOneRequest, by, status: str, assignee=None) -> OneToOneRequest:
    if not can_follow_up(user=by, request=request):
        raise PermissionError
    request.status = status
    request.assignee = assignee
    request.save(update_fields=["status", "assignee", "updated_at"])
    return request


def one_to_one_note_add(*, request: OneToOneRequest, by, text: str) -> FollowUpNote:
    if not can_follow_up(user=by, request=request):
        raise PermissionError
    return FollowUpNote.objects.create(request=request, author=by, text=text)


# ---------------------------------------------------------------------------------------------------------
# The aggregated agenda
# ---------------------------------------------------------------------------------------------------------


def session_sync_agenda(*, session: TrainingSession) -> None:
    """Publish the session on the aggregated agenda (or remove it when cancelled), when the agenda app
    offers `agenda.services.portal_events`."""
    try:
        from agenda.services import portal_events
    except ImportError:
        return
    key = f"kits-session-{session.pk}"
    if session.is_cancelled or session.kind == "one_to_one":
        portal_events.remove_portal_event(key=key)
        return
    portal_events.upsert_portal_event(
        key=key,
        title=session.display_title,
        start=session.start,
        end=session.end,
        location=session.location if session.kind == "in_person" else "",
        url=settings.SITE_URL + session.get_absolute_url(),
        description=session.description,
        departement=session.departement,
        categories=("formation",),
        organiser="Transiscope",
    )
