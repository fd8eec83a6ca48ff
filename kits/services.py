"""Writes of the kits app: FAQ drafts, progress, registrations and the waiting list, reminders,
attendance, feedback, one-to-one requests, version notices."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wagtail.models import Locale

from accounts import permissions
from agenda.services import portal_events
from core.errors import NotAllowed
from core.mail import send_templated_mail
from core.sanitize import sanitize_html
from kits.ics import session_calendar
from kits.models import (
    FaqEntry,
    FollowUpNote,
    KitPage,
    KitProgress,
    OneToOneRequest,
    Registration,
    SessionFeedback,
    SessionKind,
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


def _next_sequence(*, registration: Registration, session: TrainingSession) -> int:
    """The SEQUENCE of the next .ics sent to this person: at least the session's version, and above any
    number they were sent before, so their calendar app always takes the newest file."""
    return max(session.ics_sequence, registration.ics_sequence + 1)


def _mail_registrant(
    *,
    registration: Registration,
    template: str,
    ics_method: str | None = None,
    context: dict | None = None,
    tags: tuple[str, ...] = ("kits", "registration"),
) -> None:
    """One e-mail about a session to one registrant, in their language, with the .ics when `ics_method` is
    given (REQUEST: the event, current details; CANCEL: the event removed, `STATUS:CANCELLED`). The .ics
    carries the sequence stored on the registration."""
    session = registration.session
    user = registration.user
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        when = session_when(session)
    attachments = None
    if ics_method:
        calendar = session_calendar(
            sessions=[session],
            for_registrant=ics_method == "REQUEST",
            method=ics_method,
            sequence=registration.ics_sequence,
            cancelled=ics_method == "CANCEL",
        )
        attachments = [
            ("formation.ics", calendar, f"text/calendar; method={ics_method}; charset=utf-8"),
        ]
    send_templated_mail(
        to=user.email,
        template=template,
        language=language,
        context={
            "registration": registration,
            "session": session,
            "when": when,
            "session_url": settings.SITE_URL + session.get_absolute_url(),
            "cancel_url": settings.SITE_URL + registration.get_cancel_url(),
            **(context or {}),
        },
        attachments=attachments,
        tags=list(tags),
    )


def _send_registration_mail(*, registration: Registration, template: str) -> None:
    """A confirmation, a place on the waiting list or a promotion; confirmed people get the invitation."""
    confirmed = registration.status == Registration.Status.CONFIRMED
    _mail_registrant(
        registration=registration, template=template, ics_method="REQUEST" if confirmed else None
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
        registration = existing or Registration(session=locked, user=user)
        if status == Registration.Status.CONFIRMED:
            registration.ics_sequence = _next_sequence(registration=registration, session=locked)
        else:  # no .ics yet; they know the session as it is now
            registration.ics_sequence = max(registration.ics_sequence, locked.ics_sequence)
        if existing:
            existing.status = status
            existing.registered_at = timezone.now()
            existing.cancelled_at = None
            existing.reminder_24h_sent_at = existing.reminder_1h_sent_at = None
            existing.save()
        else:
            registration.status = status
            registration.save()
        template = (
            "kits/email/registration_confirmed"
            if status == Registration.Status.CONFIRMED
            else "kits/email/registration_waiting"
        )
        transaction.on_commit(lambda: _send_registration_mail(registration=registration, template=template))
    return registration


def registration_cancel(*, registration: Registration, notify_person: bool = True) -> Registration | None:
    """Cancel a registration; a freed seat goes to the first person on the waiting list, who is told.

    The person gets a confirmation after commit (unless `notify_person` is false: their account is being
    deleted); when they held a seat it carries an .ics `METHOD:CANCEL` (same UID as the invitation, higher
    SEQUENCE) so their calendar app removes the event. Returns the promoted registration, if any.
    """
    promoted = None
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=registration.session_id)
        registration = Registration.objects.select_related("user").get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            return None
        was_confirmed = registration.status == Registration.Status.CONFIRMED
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        fields = ["status", "cancelled_at"]
        if was_confirmed:
            registration.ics_sequence = _next_sequence(registration=registration, session=session)
            fields.append("ics_sequence")
        registration.save(update_fields=fields)
        registration.session = session
        if notify_person:
            transaction.on_commit(
                lambda: _mail_registrant(
                    registration=registration,
                    template="kits/email/registration_cancelled",
                    ics_method="CANCEL" if was_confirmed else None,
                    context={"was_confirmed": was_confirmed},
                )
            )
        if was_confirmed and session.start > timezone.now():
            promoted = _promote_waiting(session=session)
    return promoted


def registrations_cancel_for_account(*, user) -> int:
    """Before an account is deleted: its upcoming registrations are cancelled through `registration_cancel`
    (a cascade would free the seats without telling anyone on the waiting list). Returns how many."""
    cancelled = 0
    upcoming = Registration.objects.filter(
        user=user,
        status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITING],
        session__start__gt=timezone.now(),
    )
    for registration in upcoming:
        registration_cancel(registration=registration, notify_person=False)
        cancelled += 1
    return cancelled


def _promote_waiting(*, session: TrainingSession) -> Registration | None:
    """Give a free seat to the first person on the waiting list (the caller holds the session's lock)."""
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
    promoted.ics_sequence = _next_sequence(registration=promoted, session=session)
    promoted.save(update_fields=["status", "promoted_at", "ics_sequence"])
    transaction.on_commit(
        lambda: _send_registration_mail(registration=promoted, template="kits/email/registration_promoted")
    )
    return promoted


def session_capacity_changed(*, session: TrainingSession) -> list[Registration]:
    """After an editor raised the capacity, move people from the waiting list into the new seats."""
    promoted = []
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if locked.is_cancelled or locked.start <= timezone.now():
            return promoted
        while (registration := _promote_waiting(session=locked)) is not None:
            promoted.append(registration)
    return promoted


# ---------------------------------------------------------------------------------------------------------
# Changes to a session
# ---------------------------------------------------------------------------------------------------------

# What registrants are told about when it changes, by the kind of change named in their e-mail. The title,
# description, capacity or trainer are not worth an e-mail.
SESSION_DETAILS = {
    "start": "time",
    "end": "time",
    "kind": "place",
    "location": "place",
    "visio_url": "visio",
}


def session_stored_details(*, session: TrainingSession) -> dict | None:
    """What the database holds of the details registrants care about, read just before a save; None for
    a session not saved yet."""
    if session.pk is None:
        return None
    return TrainingSession.objects.filter(pk=session.pk).values(*SESSION_DETAILS, "is_cancelled").first()


def _shown(value):
    """A value as registrants see it: times to the minute, as the admin's date picker edits them (saving
    a session created with seconds must not look like a new time)."""
    if isinstance(value, datetime):
        return value.replace(second=0, microsecond=0)
    return value


def session_details_saved(*, session: TrainingSession, previous: dict | None, update_fields=None) -> set[str]:
    """After a session was saved (admin, shell, anywhere): what changed that registrants must hear about.

    Returns the kinds of change: "time", "place", "visio", "cancelled", "restored" (empty for a new or a
    finished session, an edit of the description...). When there is one, the session's version
    (`ics_sequence`) goes above every number sent so far, and a new start restarts the 24 h / 1 h
    reminders from it. The e-mails themselves are `session_notify_change`'s job, after commit.
    """
    if previous is None or session.end <= timezone.now():
        return set()
    fields = [*SESSION_DETAILS, "is_cancelled"]
    if update_fields is not None:
        fields = [field for field in fields if field in update_fields]
    changed = {field for field in fields if _shown(previous[field]) != _shown(getattr(session, field))}
    if "is_cancelled" in changed:
        changes = {"cancelled" if session.is_cancelled else "restored"}
    elif session.is_cancelled:
        return set()  # already cancelled, and people were told
    else:
        changes = set()
    changes |= {SESSION_DETAILS[field] for field in changed if field in SESSION_DETAILS}
    if not changes:
        return changes
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        highest_sent = locked.registrations.aggregate(highest=Max("ics_sequence"))["highest"] or 0
        session.ics_sequence = max(locked.ics_sequence, highest_sent) + 1
        TrainingSession.objects.filter(pk=session.pk).update(ics_sequence=session.ics_sequence)
        if "start" in changed:
            _restart_reminders(session=session)
    return changes


def _restart_reminders(*, session: TrainingSession) -> None:
    """The session moved: each reminder goes out again relative to the new start. One whose moment has
    already come counts as sent, the change e-mail leaving now tells the same thing."""
    now = timezone.now()
    confirmed = Registration.objects.filter(session=session, status=Registration.Status.CONFIRMED)
    confirmed.update(
        **{field: (now if session.start - before <= now else None) for field, before in REMINDERS}
    )


def session_notify_change(*, session: TrainingSession, changes) -> int:
    """Tell the registrants that a session changed, once per version of the session.

    Confirmed people get the new details with an .ics `METHOD:REQUEST` (same UID, higher SEQUENCE), or,
    when the session is cancelled, the news with an .ics `METHOD:CANCEL`. The waiting list hears of a new
    time, a cancellation or a session back on, without .ics. Each person is claimed by a conditional
    UPDATE of their `ics_sequence` before the e-mail leaves, so a second run (two edits in a row, a task
    retried) does not write twice. Returns the number of e-mails sent.
    """
    changes = set(changes)
    if session.end <= timezone.now():
        return 0
    statuses = [Registration.Status.CONFIRMED]
    if session.is_cancelled or changes & {"time", "restored"}:
        statuses.append(Registration.Status.WAITING)
    candidates = Registration.objects.filter(
        session=session, status__in=statuses, ics_sequence__lt=session.ics_sequence
    ).select_related("user")
    sent = 0
    for registration in candidates:
        claimed = Registration.objects.filter(
            pk=registration.pk, status=registration.status, ics_sequence=registration.ics_sequence
        ).update(ics_sequence=session.ics_sequence)
        if not claimed:
            continue
        registration.ics_sequence = session.ics_sequence
        registration.session = session
        confirmed = registration.status == Registration.Status.CONFIRMED
        if session.is_cancelled:
            template, method = "kits/email/session_cancelled", "CANCEL" if confirmed else None
        elif confirmed:
            template, method = "kits/email/session_updated", "REQUEST"
        else:
            template, method = "kits/email/session_updated_waiting", None
        _mail_registrant(
            registration=registration,
            template=template,
            ics_method=method,
            context={"changes": changes, "was_confirmed": confirmed},
            tags=("kits", "session-change"),
        )
        sent += 1
    return sent


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
            _mail_registrant(
                registration=registration,
                template="kits/email/session_reminder",
                context={"soon": field == "reminder_1h_sent_at"},
                tags=("kits", "reminder"),
            )
            sent += 1
    return sent


# ---------------------------------------------------------------------------------------------------------
# Attendance and feedback
# ---------------------------------------------------------------------------------------------------------


def attendance_mark(*, session: TrainingSession, by, present_ids: set[int]) -> int:
    """The trainer (or staff) records who came: confirmed registrations in `present_ids` attended, the
    other confirmed ones did not. Returns the number marked present."""
    if not permissions.can_run_session(by, session):
        raise NotAllowed(_("Seul·e l'animateur·rice de la session ou l'équipe note les présences."))
    confirmed = session.registrations.filter(status=Registration.Status.CONFIRMED)
    with transaction.atomic():
        present = confirmed.filter(pk__in=present_ids).update(attended=True)
        confirmed.exclude(pk__in=present_ids).update(attended=False)
    return present


def feedback_submit(*, registration: Registration, rating: int, useful: str = "", improve: str = ""):
    """Record (or update) a participant's feedback on a session they attended, once it has started."""
    if registration.status != Registration.Status.CONFIRMED or registration.session.start > timezone.now():
        raise NotAllowed(_("L'avis vient des participant·es, après la session."))
    feedback, _created = SessionFeedback.objects.update_or_create(
        registration=registration, defaults={"rating": rating, "useful": useful, "improve": improve}
    )
    return feedback


# ---------------------------------------------------------------------------------------------------------
# One-to-one requests
# ---------------------------------------------------------------------------------------------------------


def one_to_one_request_create(
    *, user, topic: str, message: str, availability: str = "", source=None
) -> OneToOneRequest:
    """A person asks for a one-to-one exchange; whoever follows it up is told by e-mail
    (`permissions.one_to_one_recipients`). `source` names the source a data-quality request is about."""
    if topic != OneToOneRequest.Topic.DATA_QUALITY:
        source = None
    request = OneToOneRequest.objects.create(
        user=user, topic=topic, message=message, availability=availability, source=source
    )
    recipients = permissions.one_to_one_recipients(request).exclude(email="").values_list("email", flat=True)

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


def one_to_one_update(*, request: OneToOneRequest, by, status: str, assignee=None) -> OneToOneRequest:
    if not permissions.can_follow_up(by, request):
        raise NotAllowed
    request.status = status
    request.assignee = assignee
    request.save(update_fields=["status", "assignee", "updated_at"])
    return request


def one_to_one_note_add(*, request: OneToOneRequest, by, text: str) -> FollowUpNote:
    if not permissions.can_follow_up(by, request):
        raise NotAllowed
    return FollowUpNote.objects.create(request=request, author=by, text=text)


# ---------------------------------------------------------------------------------------------------------
# The aggregated agenda
# ---------------------------------------------------------------------------------------------------------


def session_sync_agenda(*, session: TrainingSession) -> None:
    """Publish the session on the aggregated agenda (or remove it when cancelled)."""
    key = f"kits-session-{session.pk}"
    if session.is_cancelled or session.kind == SessionKind.ONE_TO_ONE:
        portal_events.remove_portal_event(key=key)
        return
    portal_events.upsert_portal_event(
        key=key,
        title=session.display_title,
        start=session.start,
        end=session.end,
        location=session.location if session.kind == SessionKind.IN_PERSON else "",
        url=settings.SITE_URL + session.get_absolute_url(),
        description=session.description,
        departement=session.departement,
        categories=("formation",),
        organiser="Transiscope",
    )
