"""Writes of the support app. Every change that someone must hear about sends its e-mails here.

Safety rules kept by every write below:
- e-mails leave once the transaction has committed (`_mail_on_commit`): a provider error neither turns
  into a 500 nor rolls back what was stored, and nothing is sent about a change that was rolled back;
- a write that changes a request's or a referral's state locks the rows first (request, then referral,
  always in that order), then re-reads the state it checks: two forwards at once, or the deadline job
  against a partner's accept, cannot both win. The database backs this with one constraint: at most one
  open (pending or accepted) referral per request;
- a refusal is a `core.errors.ServiceError` (or `Conflict` when someone else acted first), which views
  show as a message.
"""

import logging
import re
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import territories
from core.errors import Conflict, ServiceError
from core.mail import language_for, send_templated_mail
from core.services import submission_claim
from support import conf
from support.models import (
    CannedAnswer,
    FaqAnswerUse,
    Message,
    Partner,
    Referral,
    SecretLink,
    SupportRequest,
    Theme,
    hash_token,
    new_token,
)
from support.selectors import active_referral, suggest_partners

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------------------
# Links and e-mails


def absolute_url(path_function, *, language: str) -> str:
    with translation.override(language):
        path = path_function()
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"


def requester_link_issue(*, support_request: SupportRequest) -> str:
    """Make a new secret link to the requester's page and return its token, which goes into an e-mail
    and nowhere else: the database keeps its hash only."""
    token = new_token()
    SecretLink.objects.create(request=support_request, token_hash=hash_token(token))
    return token


def partner_link_issue(*, referral: Referral) -> str:
    """Make a new secret link to the partner's page of a referral and return its token (see above)."""
    token = new_token()
    SecretLink.objects.create(request_id=referral.request_id, referral=referral, token_hash=hash_token(token))
    return token


def follow_url(support_request: SupportRequest, token: str) -> str:
    return absolute_url(lambda: support_request.follow_path(token), language=support_request.language)


def partner_url(referral: Referral, token: str) -> str:
    return absolute_url(lambda: referral.answer_path(token), language=referral.partner.language)


def team_url(support_request: SupportRequest) -> str:
    return absolute_url(support_request.get_absolute_url, language=settings.LANGUAGE_CODE)


def _mail_on_commit(**mail) -> None:
    """Queue one e-mail for when the current transaction commits. A failure is logged with what it was
    about; the change it reports is stored either way and shows on the team's screens."""

    def send() -> None:
        try:
            send_templated_mail(**mail)
        except Exception:
            logger.exception("Support e-mail %s to %s could not be sent", mail["template"], mail["to"])

    transaction.on_commit(send)


def _notify_requester(support_request: SupportRequest, template: str, **context) -> None:
    if support_request.anonymised_at or not support_request.contact_email:
        return
    # Each e-mail carries a new link (only hashes are kept, so an earlier one cannot be repeated); the
    # earlier links stay valid with it while the conversation goes on.
    expires = timezone.now() + timedelta(days=conf.requester_link_days())
    if support_request.token_expires_at < expires:
        support_request.token_expires_at = expires
        SupportRequest.objects.filter(pk=support_request.pk).update(token_expires_at=expires)
    link = follow_url(support_request, requester_link_issue(support_request=support_request))
    _mail_on_commit(
        to=support_request.contact_email,
        template=f"support/email/{template}",
        language=support_request.language,
        context={"support_request": support_request, "link": link, **context},
        tags=["support", template],
    )


def _team_recipient(support_request: SupportRequest) -> str:
    if support_request.assigned_to_id and support_request.assigned_to.is_active:
        return support_request.assigned_to.email
    return conf.team_email()


def _notify_team(support_request: SupportRequest, template: str, **context) -> None:
    recipient = _team_recipient(support_request)
    _mail_on_commit(
        to=recipient,
        template=f"support/email/{template}",
        language=language_for(recipient),
        context={"support_request": support_request, "link": team_url(support_request), **context},
        tags=["support", template],
    )


def _notify_partner(referral: Referral, template: str, **context) -> None:
    _mail_on_commit(
        to=referral.partner.contact_email,
        template=f"support/email/{template}",
        language=referral.partner.language,
        context={
            "referral": referral,
            "support_request": referral.request,
            "partner": referral.partner,
            "link": partner_url(referral, partner_link_issue(referral=referral)),
            "reply_days": conf.partner_reply_days(),
            **context,
        },
        tags=["support", template],
    )


def _lock(*objects) -> None:
    """Lock the rows of these objects for the rest of the transaction (pass a request before its
    referral: every write takes them in that order, so two writes cannot deadlock), then re-read them:
    the state a write checks is the state it changes."""
    for obj in objects:
        list(type(obj).objects.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True))
        obj.refresh_from_db()


def _system_message(support_request: SupportRequest, body: str, *, internal: bool = False) -> Message:
    return Message.objects.create(
        request=support_request, author_kind=Message.Author.SYSTEM, body=body, internal=internal
    )


# ---------------------------------------------------------------------------------------------------------
# The public form


@transaction.atomic
def request_submit(
    *,
    collective: str,
    contact_name: str,
    contact_email: str,
    territory_code: str,
    theme: str,
    description: str,
    commune: str = "",
    language: str | None = None,
    submission_token: str = "",
) -> SupportRequest:
    """Record a request made on the public form, then send the requester their secret link. The form's
    `submission_token` is accepted once: a second click or a resent POST stores nothing more."""
    submission_claim(token=submission_token)
    # The same request sent again within minutes (the back button, a reloaded form: a new token) is the
    # same request: keep the first one.
    if SupportRequest.objects.filter(
        contact_email=contact_email.strip().lower(),
        collective=collective.strip(),
        description=description.strip(),
        created_at__gte=timezone.now() - timedelta(minutes=30),
    ).exists():
        raise Conflict(_("Ce formulaire a déjà été envoyé : votre premier envoi a bien été reçu."))
    territory = territories.resolve(territory_code)
    if territory is None:
        raise ServiceError(_("Territoire inconnu."), code="invalid_territory")
    now = timezone.now()
    support_request = SupportRequest.objects.create(
        collective=collective.strip(),
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip().lower(),
        commune=commune.strip(),
        territory_code=territory.code,
        departement=territory.departement,
        region=territory.region,
        theme=theme,
        description=description.strip(),
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        consent_at=now,
        created_at=now,
        token_expires_at=now + timedelta(days=conf.requester_link_days()),
    )
    transaction.on_commit(lambda: _announce_new_request(support_request.pk))
    return support_request


def _announce_new_request(pk: int) -> None:
    support_request = SupportRequest.objects.get(pk=pk)
    _notify_requester(support_request, "requester_confirmation", retention_days=conf.retention_days())
    _notify_team(support_request, "team_new_request")


# ---------------------------------------------------------------------------------------------------------
# The thread


@transaction.atomic
def message_post(
    *,
    support_request: SupportRequest,
    author_kind: str,
    body: str,
    user=None,
    referral: Referral | None = None,
    internal: bool = False,
    to_partner: bool = False,
) -> Message:
    """Add a message to the thread and tell the other participants by e-mail.

    Team members may write internal notes (nobody is told). A partner who has not accepted yet can only
    write to the team: their message stays internal until they accept. The team answers such a partner
    with `to_partner=True` (`referral` given): only that partner and the team see it.
    """
    body = (body or "").strip()
    if not body:
        raise ServiceError(_("Le message est vide."), code="empty")
    _lock(support_request, *([referral] if referral else []))
    partner = referral.partner if referral and (author_kind == Message.Author.PARTNER or to_partner) else None
    accepted = referral is not None and referral.status == Referral.Status.ACCEPTED
    if author_kind == Message.Author.PARTNER:
        if referral is None or not referral.is_open:
            raise ServiceError(_("Cette transmission n'est plus ouverte."), code="closed")
        internal = not accepted
    elif author_kind == Message.Author.REQUESTER:
        internal = False
    elif to_partner:
        if referral is None or not referral.is_open:
            raise ServiceError(_("Aucun partenaire n'est sollicité pour cette demande."), code="no_partner")
        internal = True
    message = Message.objects.create(
        request=support_request,
        author_kind=author_kind,
        author_user=user,
        partner=partner,
        body=body,
        internal=internal,
    )
    if to_partner:
        _notify_partner(referral, "new_message", message=message)
        return message
    if internal and author_kind != Message.Author.PARTNER:
        return message

    now = timezone.now()
    if author_kind in (Message.Author.TEAM, Message.Author.PARTNER) and not internal:
        if support_request.first_response_at is None:
            support_request.first_response_at = now
        if author_kind == Message.Author.PARTNER and support_request.status == SupportRequest.Status.ACCEPTED:
            support_request.status = SupportRequest.Status.IN_PROGRESS
        support_request.save(update_fields=["first_response_at", "status", "updated_at"])

    current = active_referral(support_request=support_request)
    partner_in_thread = current if current and current.status == Referral.Status.ACCEPTED else None
    context = {"message": message}
    if author_kind == Message.Author.REQUESTER:
        _notify_team(support_request, "new_message", **context)
        if partner_in_thread:
            _notify_partner(partner_in_thread, "new_message", **context)
    elif author_kind == Message.Author.TEAM:
        _notify_requester(support_request, "new_message", **context)
        if partner_in_thread:
            _notify_partner(partner_in_thread, "new_message", **context)
    elif author_kind == Message.Author.PARTNER:
        _notify_team(support_request, "new_message", **context)
        if not internal:
            _notify_requester(support_request, "new_message", **context)
    return message


# ---------------------------------------------------------------------------------------------------------
# Triage


STATUS_MAIL = {
    SupportRequest.Status.FORWARDED,
    SupportRequest.Status.ACCEPTED,
    SupportRequest.Status.RESOLVED,
    SupportRequest.Status.CLOSED,
    SupportRequest.Status.DECLINED,
}


def _set_status(support_request: SupportRequest, status: str, *, note: str = "", **context) -> None:
    """Change the status, keep the dates the figures need, and tell the requester when it matters."""
    if support_request.status == status:
        return
    now = timezone.now()
    support_request.status = status
    if status == SupportRequest.Status.RESOLVED and not support_request.resolved_at:
        support_request.resolved_at = now
    if status in SupportRequest.FINISHED_STATUSES:
        support_request.finished_at = support_request.finished_at or now
    else:
        support_request.finished_at = None
    support_request.save(update_fields=["status", "resolved_at", "finished_at", "updated_at"])
    with translation.override(support_request.language):
        _system_message(
            support_request,
            _("Statut : %(status)s") % {"status": support_request.get_status_display()},
        )
    if status in STATUS_MAIL:
        _notify_requester(support_request, "requester_status", note=note, **context)


@transaction.atomic
def request_triage(
    *,
    support_request: SupportRequest,
    by,
    status: str | None = None,
    assigned_to=None,
    theme: str | None = None,
) -> SupportRequest:
    """The team's triage: theme, who follows the request, and its status."""
    changed = []
    if theme and theme != support_request.theme:
        if theme not in Theme.values:
            raise ServiceError(_("Thème inconnu."), code="invalid_theme")
        support_request.theme = theme
        changed.append("theme")
    if assigned_to != support_request.assigned_to:
        support_request.assigned_to = assigned_to
        changed.append("assigned_to")
    if changed:
        support_request.save(update_fields=[*changed, "updated_at"])
    if status and status != support_request.status:
        if status not in SupportRequest.Status.values:
            raise ServiceError(_("Statut inconnu."), code="invalid_status")
        if status == SupportRequest.Status.FORWARDED:
            raise ServiceError(
                _("Pour transmettre la demande, choisissez un partenaire."), code="forward_needed"
            )
        if status in SupportRequest.FINISHED_STATUSES or status in (
            SupportRequest.Status.NEW,
            SupportRequest.Status.TRIAGED,
        ):
            current = active_referral(support_request=support_request)
            if current and current.status == Referral.Status.PENDING:
                _withdraw(current)
        _set_status(support_request, status)
    return support_request


def _withdraw(referral: Referral) -> None:
    referral.status = Referral.Status.WITHDRAWN
    referral.token_expires_at = timezone.now()
    referral.save(update_fields=["status", "token_expires_at"])


@transaction.atomic
def request_forward(*, support_request: SupportRequest, partner: Partner, message: str, by) -> Referral:
    """Send the request to a partner: they read the text the team wrote, not the requester's contact."""
    _lock(support_request)
    if not support_request.is_open:
        raise ServiceError(_("Cette demande est terminée."), code="finished")
    busy = _("Cette demande est déjà entre les mains d'un partenaire ; retirez-la d'abord.")
    if active_referral(support_request=support_request):
        raise Conflict(busy, code="busy")
    if not partner.is_active:
        raise ServiceError(_("Ce partenaire n'est plus actif."), code="inactive")
    if not (message or "").strip():
        raise ServiceError(_("Écrivez le texte à transmettre."), code="empty")
    now = timezone.now()
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                request=support_request,
                partner=partner,
                message=message.strip(),
                sent_by=by,
                sent_at=now,
                token_expires_at=now + timedelta(days=conf.partner_link_days()),
            )
    except IntegrityError:  # one_open_referral_per_request: another forward won (backends without locks)
        raise Conflict(busy, code="busy") from None
    with translation.override(settings.LANGUAGE_CODE):
        _system_message(
            support_request,
            _("Demande transmise à %(partner)s.") % {"partner": partner.organisation},
            internal=True,
        )
    _notify_partner(referral, "partner_referral")
    _set_status(support_request, SupportRequest.Status.FORWARDED)
    return referral


@transaction.atomic
def referral_accept(*, referral: Referral) -> Referral:
    """The partner takes the request: from now on they see the requester's contact and the thread."""
    _lock(referral.request, referral)
    if referral.status != Referral.Status.PENDING:
        raise ServiceError(_("Cette transmission n'attend plus de réponse."), code="not_pending")
    referral.status = Referral.Status.ACCEPTED
    referral.responded_at = timezone.now()
    referral.save(update_fields=["status", "responded_at"])
    support_request = referral.request
    _set_status(support_request, SupportRequest.Status.ACCEPTED, partner=referral.partner)
    _notify_team(support_request, "team_update", event="accepted", partner=referral.partner)
    _notify_partner(referral, "partner_accepted")
    return referral


@transaction.atomic
def referral_decline(*, referral: Referral, reason: str) -> Referral:
    """The partner says no: the request goes back to triage, and the team hears who is next."""
    _lock(referral.request, referral)
    if referral.status != Referral.Status.PENDING:
        raise ServiceError(_("Cette transmission n'attend plus de réponse."), code="not_pending")
    if not (reason or "").strip():
        raise ServiceError(_("Dites-nous en quelques mots pourquoi."), code="reason_needed")
    referral.status = Referral.Status.DECLINED
    referral.decline_reason = reason.strip()
    referral.responded_at = timezone.now()
    referral.save(update_fields=["status", "decline_reason", "responded_at"])
    _back_to_triage(referral, event="declined")
    return referral


def _back_to_triage(referral: Referral, *, event: str) -> None:
    support_request = referral.request
    support_request.status = SupportRequest.Status.TRIAGED
    support_request.save(update_fields=["status", "updated_at"])
    suggestions = suggest_partners(support_request=support_request, limit=1)
    next_partner = suggestions[0].partner if suggestions else None
    with translation.override(settings.LANGUAGE_CODE):
        if event == "declined":
            body = _("%(partner)s a décliné : %(reason)s") % {
                "partner": referral.partner.organisation,
                "reason": referral.decline_reason,
            }
        else:
            body = _("%(partner)s n'a pas répondu à temps.") % {"partner": referral.partner.organisation}
        if next_partner:
            body += " " + _("Suggestion suivante : %(partner)s.") % {"partner": next_partner.organisation}
        _system_message(support_request, body, internal=True)
    _notify_team(
        support_request,
        "team_update",
        event=event,
        partner=referral.partner,
        reason=referral.decline_reason,
        next_partner=next_partner,
    )


@transaction.atomic
def referral_withdraw(*, referral: Referral, by) -> Referral:
    """The team takes the request back from a partner (pending or accepted)."""
    _lock(referral.request, referral)
    if not referral.is_open:
        raise ServiceError(_("Cette transmission est déjà close."), code="closed")
    _withdraw(referral)
    support_request = referral.request
    with translation.override(settings.LANGUAGE_CODE):
        _system_message(
            support_request,
            _("Transmission à %(partner)s retirée.") % {"partner": referral.partner.organisation},
            internal=True,
        )
    if support_request.is_open:
        support_request.status = SupportRequest.Status.TRIAGED
        support_request.save(update_fields=["status", "updated_at"])
    return referral


def process_partner_deadlines(*, now=None) -> dict:
    """Remind partners who have not answered in N days; after N more days, take the request back to
    triage with the next suggestion."""
    now = now or timezone.now()
    days = timedelta(days=conf.partner_reply_days())
    reminded = expired = 0
    pending = Referral.objects.select_related("request", "partner").filter(status=Referral.Status.PENDING)
    for referral in pending.filter(reminded_at__isnull=True, sent_at__lte=now - days):
        with transaction.atomic():
            # Conditional: a partner who accepted meanwhile, or another run of this job, wins.
            if not Referral.objects.filter(
                pk=referral.pk, status=Referral.Status.PENDING, reminded_at__isnull=True
            ).update(reminded_at=now):
                continue
            referral.reminded_at = now
            _notify_partner(referral, "partner_reminder")
            reminded += 1
    for referral in pending.filter(reminded_at__lte=now - days):
        with transaction.atomic():
            _lock(referral.request, referral)
            if referral.status != Referral.Status.PENDING:
                continue  # accepted, declined or withdrawn since the list was read
            referral.status = Referral.Status.EXPIRED
            referral.token_expires_at = now
            referral.save(update_fields=["status", "token_expires_at"])
            _back_to_triage(referral, event="expired")
            expired += 1
    return {"reminded": reminded, "expired": expired}


@transaction.atomic
def request_resolve(*, support_request: SupportRequest, by_kind: str, note: str = "") -> SupportRequest:
    """Someone in the thread (requester, partner or team) says the need is met."""
    _lock(support_request)
    if not support_request.is_open:
        raise ServiceError(_("Cette demande est déjà terminée."), code="finished")
    _set_status(support_request, SupportRequest.Status.RESOLVED, note=note)
    if by_kind != Message.Author.TEAM:
        _notify_team(support_request, "team_update", event="resolved", by_kind=by_kind)
    current = active_referral(support_request=support_request)
    if current and current.status == Referral.Status.ACCEPTED and by_kind != Message.Author.PARTNER:
        _notify_partner(current, "partner_resolved")
    return support_request


@transaction.atomic
def request_merge(*, duplicate: SupportRequest, into: SupportRequest, by) -> SupportRequest:
    """Fold a duplicate into the request that is kept: its messages move there, it is closed."""
    if duplicate.pk == into.pk:
        raise ServiceError(_("Une demande ne peut pas être fusionnée avec elle-même."), code="self")
    if into.merged_into_id:
        raise ServiceError(_("La demande gardée est elle-même fusionnée."), code="merged")
    current = active_referral(support_request=duplicate)
    if current:
        raise ServiceError(
            _("Le doublon est entre les mains d'un partenaire ; retirez-le d'abord."), code="busy"
        )
    same_person = duplicate.contact_email.lower() == into.contact_email.lower()
    # Another person's messages must not appear on the kept request's public thread.
    duplicate.messages.update(request=into, **({} if same_person else {"internal": True}))
    with translation.override(settings.LANGUAGE_CODE):
        _system_message(
            into,
            _("%(duplicate)s (%(collective)s) fusionnée ici. Description : %(description)s")
            % {
                "duplicate": duplicate.reference,
                "collective": duplicate.collective,
                "description": duplicate.description,
            },
            internal=True,
        )
    if same_person:
        # The requester's earlier links lead to the kept request (`views.follow` redirects there).
        SecretLink.objects.bulk_create(
            SecretLink(request=into, token_hash=link.token_hash, created_at=link.created_at)
            for link in duplicate.secret_links.filter(referral__isnull=True)
        )
        if into.token_expires_at < duplicate.token_expires_at:
            into.token_expires_at = duplicate.token_expires_at
            into.save(update_fields=["token_expires_at", "updated_at"])
    duplicate.merged_into = into
    duplicate.status = SupportRequest.Status.CLOSED
    duplicate.finished_at = timezone.now()
    duplicate.save(update_fields=["merged_into", "status", "finished_at", "updated_at"])
    logger.info("%s merged into %s by %s", duplicate.reference, into.reference, by)
    return into


def _link_sent_note(support_request: SupportRequest, body: str, *, by) -> Message:
    return Message.objects.create(
        request=support_request, author_kind=Message.Author.SYSTEM, author_user=by, body=body, internal=True
    )


@transaction.atomic
def request_regenerate_link(*, support_request: SupportRequest, by=None) -> SupportRequest:
    """A new secret link for the requester, sent by e-mail; the earlier links stop working. The team
    cannot see nor rebuild a link (only hashes are kept): this is how a lost link is replaced."""
    if support_request.anonymised_at or not support_request.contact_email:
        raise ServiceError(_("Cette demande n'a plus d'adresse de contact."), code="no_contact")
    support_request.secret_links.filter(referral__isnull=True).delete()
    support_request.token_expires_at = timezone.now() + timedelta(days=conf.requester_link_days())
    support_request.save(update_fields=["token_expires_at", "updated_at"])
    with translation.override(settings.LANGUAGE_CODE):
        _link_sent_note(
            support_request,
            _("Nouveau lien de suivi envoyé à %(email)s ; les liens précédents ne fonctionnent plus.")
            % {"email": support_request.contact_email},
            by=by,
        )
    _notify_requester(support_request, "requester_new_link")
    return support_request


@transaction.atomic
def referral_regenerate_link(*, referral: Referral, by=None) -> Referral:
    """A new secret link for the partner of an open referral, sent by e-mail; the earlier ones stop
    working. The link is valid for the partner link period from now."""
    if not referral.is_open or referral.request.anonymised_at:
        raise ServiceError(_("Cette transmission est déjà close."), code="closed")
    referral.secret_links.all().delete()
    referral.token_expires_at = timezone.now() + timedelta(days=conf.partner_link_days())
    referral.save(update_fields=["token_expires_at"])
    with translation.override(settings.LANGUAGE_CODE):
        _link_sent_note(
            referral.request,
            _("Nouveau lien envoyé à %(partner)s (%(email)s) ; les liens précédents ne fonctionnent plus.")
            % {"partner": referral.partner.organisation, "email": referral.partner.contact_email},
            by=by,
        )
    _notify_partner(referral, "partner_new_link")
    return referral


# ---------------------------------------------------------------------------------------------------------
# Canned answers

VARIABLE = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


def canned_answer_context(*, support_request: SupportRequest) -> dict[str, str]:
    with translation.override(support_request.language):
        return {
            "requester_name": support_request.contact_name,
            "collective": support_request.collective,
            "territory": support_request.territory_label,
            "theme": str(support_request.get_theme_display()),
            "reference": support_request.reference,
            # Kept for the answers written before links were hashed: a link cannot be rebuilt, and the
            # e-mail that carries the message has a new one.
            "status_url": _("le lien personnel de nos e-mails"),
        }


def canned_answer_render(*, text: str, support_request: SupportRequest) -> str:
    """Fill the known variables. Plain substitution, no template engine: a canned answer cannot reach
    anything but these values, and unknown variables are left as written so the team sees them."""
    values = canned_answer_context(support_request=support_request)
    return VARIABLE.sub(lambda match: values.get(match.group(1), match.group(0)), text or "")


def canned_answer_count_use(*, answer: CannedAnswer) -> None:
    CannedAnswer.objects.filter(pk=answer.pk).update(usage_count=F("usage_count") + 1)


def faq_entry_count_use(*, entry_id: int, question: str) -> None:
    use, _created = FaqAnswerUse.objects.get_or_create(faq_entry_id=entry_id, defaults={"question": question})
    FaqAnswerUse.objects.filter(pk=use.pk).update(usage_count=F("usage_count") + 1, question=question[:300])


def canned_answer_save(*, answer: CannedAnswer | None = None, title: str, body: str, is_active: bool = True):
    answer = answer or CannedAnswer()
    answer.title, answer.body, answer.is_active = title, body, is_active
    answer.full_clean()
    answer.save()
    return answer


def partner_save(*, partner: Partner | None = None, **fields) -> Partner:
    partner = partner or Partner()
    for name, value in fields.items():
        setattr(partner, name, value)
    partner.full_clean()
    partner.save()
    return partner


# ---------------------------------------------------------------------------------------------------------
# Retention


def _anonymise(support_request: SupportRequest, *, now) -> None:
    """Erase the requester's contact data: the name, the e-mail address, every secret link, and the
    requester's own messages. The collective, territory, theme and dates stay for the figures."""
    support_request.contact_name = ""
    support_request.contact_email = ""
    support_request.token_expires_at = now
    support_request.anonymised_at = now
    support_request.save(update_fields=["contact_name", "contact_email", "token_expires_at", "anonymised_at"])
    support_request.secret_links.all().delete()
    with translation.override(settings.LANGUAGE_CODE):
        blank = _("[message anonymisé]")
    support_request.messages.filter(author_kind=Message.Author.REQUESTER).update(body=blank)
    Referral.objects.filter(request=support_request, status=Referral.Status.PENDING).update(
        status=Referral.Status.WITHDRAWN, token_expires_at=now
    )


def anonymise_finished_requests(*, now=None) -> int:
    """Erase the requester's contact data from requests finished more than the retention period ago."""
    now = now or timezone.now()
    limit = now - timedelta(days=conf.retention_days())
    candidates = SupportRequest.objects.filter(
        anonymised_at__isnull=True, status__in=SupportRequest.FINISHED_STATUSES, finished_at__lte=limit
    )
    count = 0
    for support_request in candidates:
        with transaction.atomic():
            _anonymise(support_request, now=now)
            count += 1
    return count


def close_abandoned_requests(*, now=None) -> int:
    """Close as abandoned the open requests nobody has touched (no change, no message, not even an
    internal note) for the inactivity period, and anonymise them at once: their contact data has already
    been kept that long without use. Without this rule a request nobody finishes would keep it forever.
    The requester is not e-mailed: the link would stop working the same minute. A partner who had
    accepted the request is told, without a link, so they do not wait for an answer that will not come."""
    now = now or timezone.now()
    limit = now - timedelta(days=conf.inactivity_days())
    candidates = (
        SupportRequest.objects.filter(
            anonymised_at__isnull=True,
            status__in=SupportRequest.OPEN_STATUSES,
            created_at__lte=limit,
            updated_at__lte=limit,
        )
        .annotate(last_message_at=Max("messages__created_at"))
        .filter(Q(last_message_at__isnull=True) | Q(last_message_at__lte=limit))
    )
    count = 0
    for support_request in candidates:
        with transaction.atomic():
            support_request.status = SupportRequest.Status.CLOSED
            support_request.finished_at = now
            support_request.save(update_fields=["status", "finished_at", "updated_at"])
            with translation.override(support_request.language):
                _system_message(
                    support_request,
                    _("Sans activité depuis %(days)s jours : demande abandonnée, fermée et anonymisée.")
                    % {"days": conf.inactivity_days()},
                )
            for referral in support_request.referrals.select_related("partner").filter(
                status=Referral.Status.ACCEPTED
            ):
                transaction.on_commit(partial(_tell_partner_abandoned, referral))
            _anonymise(support_request, now=now)
            count += 1
    return count


def _tell_partner_abandoned(referral: Referral) -> None:
    send_templated_mail(
        to=referral.partner.contact_email,
        template="support/email/partner_abandoned",
        language=referral.partner.language,
        context={
            "partner": referral.partner,
            "support_request": referral.request,
            "days": conf.inactivity_days(),
        },
        tags=["support", "partner_abandoned"],
    )
