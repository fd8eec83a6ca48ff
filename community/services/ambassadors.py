"""Writes of the ambassador programme: applications, profiles, the contact relay, follow-up."""

from datetime import date

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from core.errors import Conflict, ServiceError
from core.mail import send_templated_mail
from core.territories import departement_of, region_of

from ..models import (
    AmbassadorApplication,
    AmbassadorExchange,
    AmbassadorProfile,
    ContactMessage,
)
from .forum import absolute, team_email


def ambassador_application_submit(
    *,
    user,
    motivation: str,
    territory: str,
    themes,
    languages,
    kind: str,
    organisation: str = "",
    source=None,
) -> AmbassadorApplication:
    application = AmbassadorApplication.objects.create(
        user=user,
        motivation=motivation,
        territory=territory,
        themes=list(themes),
        languages=list(languages),
        kind=kind,
        organisation=organisation,
        source=source,
    )
    send_templated_mail(
        to=team_email(),
        template="community/email/application_received",
        context={
            "application": application,
            "review_url": absolute(reverse("community:application_review", kwargs={"pk": application.pk})),
        },
        language=settings.LANGUAGE_CODE,
    )
    return application


@transaction.atomic
def ambassador_application_decide(
    *, application: AmbassadorApplication, by, accept: bool, message: str = ""
) -> AmbassadorApplication:
    """Accept (role + profile) or decline an application, and tell the person with the staff's message."""
    if application.status != AmbassadorApplication.Status.PENDING:
        raise Conflict(_("Cette candidature a déjà reçu une réponse."))
    application.status = (
        AmbassadorApplication.Status.ACCEPTED if accept else AmbassadorApplication.Status.DECLINED
    )
    application.decided_by, application.decided_at = by, timezone.now()
    application.decision_message = message
    application.save()
    profile = None
    if accept:
        group, _created = Group.objects.get_or_create(name=roles.AMBASSADOR)
        application.user.groups.add(group)
        departement = departement_of(application.territory) or ""
        region = region_of(application.territory) or ""
        profile, _created = AmbassadorProfile.objects.update_or_create(
            user=application.user,
            defaults={
                "kind": application.kind,
                "departement": departement,
                "region": region,
                "themes": application.themes,
                "languages": application.languages,
                "organisation": application.organisation,
                "source": application.source,
            },
        )
    template = "community/email/application_accepted" if accept else "community/email/application_declined"
    context = {
        "application": application,
        "message": message,
        "profile": profile,
        "space_url": absolute(reverse("community:my_ambassador_space")),
    }
    transaction.on_commit(
        lambda: send_templated_mail(to=application.user.email, template=template, context=context)
    )
    return application


def ambassador_profile_update(*, profile: AmbassadorProfile, **fields) -> AmbassadorProfile:
    allowed = {
        "bio",
        "show_in_directory",
        "show_organisation",
        "show_bio",
        "show_learning",
        "is_available",
        "unavailable_note",
        "replacement",
        "themes",
        "languages",
        "organisation",
    }
    for field, value in fields.items():
        if field not in allowed:
            raise TypeError(f"ambassador_profile_update() cannot change {field!r}")
        setattr(profile, field, value)
    if profile.is_available:
        profile.unavailable_note, profile.replacement = "", None
    if profile.replacement_id == profile.pk:
        raise ServiceError(_("Vous ne pouvez pas être votre propre remplaçant·e."))
    profile.save()
    return profile


def ambassador_contact_relay(
    *, profile: AmbassadorProfile, sender_name: str, sender_email: str, message: str
) -> ContactMessage:
    """Pass a visitor's message on to the ambassador. The visitor never sees the ambassador's address;
    the ambassador may answer (Reply-To is the visitor's)."""
    contact = ContactMessage.objects.create(
        profile=profile, sender_name=sender_name, sender_email=sender_email, message=message
    )
    send_templated_mail(
        to=profile.user.email,
        template="community/email/contact_relay",
        context={"contact": contact, "profile": profile},
        reply_to=[sender_email],
    )
    return contact


def ambassador_exchange_add(
    *,
    profile: AmbassadorProfile,
    by,
    kind: str,
    happened_on: date,
    summary: str,
    next_contact_on: date | None = None,
) -> AmbassadorExchange:
    exchange = AmbassadorExchange.objects.create(
        profile=profile, by=by, kind=kind, happened_on=happened_on, summary=summary
    )
    if next_contact_on is not None:
        profile.next_contact_on = next_contact_on
        profile.save(update_fields=["next_contact_on"])
    return exchange


def follow_up_reminders_send(*, today: date | None = None) -> int:
    """E-mail the team about ambassadors whose next contact date has come (once per date)."""
    today = today or timezone.localdate()
    due = (
        AmbassadorProfile.objects.filter(next_contact_on__lte=today)
        .exclude(reminder_sent_for=F("next_contact_on"))
        .select_related("user")
    )
    sent = 0
    for profile in due:
        last_by = profile.exchanges.exclude(by=None).select_related("by").first()
        to = last_by.by.email if last_by else team_email()
        send_templated_mail(
            to=to,
            template="community/email/follow_up_reminder",
            context={
                "profile": profile,
                "follow_up_url": absolute(reverse("community:follow_up", kwargs={"pk": profile.pk})),
            },
        )
        profile.reminder_sent_for = profile.next_contact_on
        profile.save(update_fields=["reminder_sent_for"])
        sent += 1
    return sent
