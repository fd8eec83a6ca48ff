"""Writes of the sources' questionnaire: reminders to the maintainers who have not answered."""

from datetime import timedelta

from django.db.models import Case, When
from django.utils import timezone

from wagtail.models import Locale

from core.mail import send_templated_mail

from ..models import (
    QuestionnaireReminder,
    SourceQuestionnairePage,
)
from .forum import absolute


def questionnaire_reminders_send(*, now=None) -> int:
    """Remind the maintainers of active sources that have not answered a live questionnaire."""
    from sources.models import Source

    now = now or timezone.now()
    sent = 0
    reminded_keys = set()
    # One reminder per questionnaire, not per language: the page in the default language comes first.
    pages = SourceQuestionnairePage.objects.live().order_by(
        Case(When(locale=Locale.get_default(), then=0), default=1), "pk"
    )
    for page in pages:
        if page.translation_key in reminded_keys:
            continue
        reminded_keys.add(page.translation_key)
        if page.closes_on and page.closes_on < now.date():
            continue
        answered = page.answered_sources()
        recently = QuestionnaireReminder.objects.filter(
            page__translation_key=page.translation_key,
            sent_at__gte=now - timedelta(days=page.reminder_every_days),
        ).values("source_id")
        sources = (
            Source.objects.filter(is_active=True, maintainers__isnull=False)
            .exclude(pk__in=answered)
            .exclude(pk__in=recently)
            .distinct()
            .prefetch_related("maintainers")
        )
        in_language = {
            translation.locale.language_code: translation
            for translation in page.get_translations(inclusive=True).live().select_related("locale")
        }
        for source in sources:
            maintainers = [m for m in source.maintainers.all() if m.is_active]
            for maintainer in maintainers:
                # The questionnaire in the language the e-mail is written in, when it is translated.
                shown = in_language.get(maintainer.preferred_language, page)
                send_templated_mail(
                    to=maintainer.email,
                    template="community/email/questionnaire_reminder",
                    context={"page": shown, "source": source, "page_url": absolute(shown.url or "")},
                )
            QuestionnaireReminder.objects.create(page=page, source=source, recipients=len(maintainers))
            sent += len(maintainers)
    return sent
