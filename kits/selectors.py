"""Reads of the kits app: FAQ reuse, learning records, sessions, the recap table, home and RGPD hooks."""

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wagtail.models import Locale

from accounts import permissions
from core import text_search
from kits.models import (
    FaqCategory,
    FaqEntry,
    FaqIndexPage,
    KitIndexPage,
    KitPage,
    KitProgress,
    Registration,
    SessionKind,
    TrainingSession,
)

# ---------------------------------------------------------------------------------------------------------
# FAQ
# ---------------------------------------------------------------------------------------------------------


def faq_entries_for_reuse(*, query: str = "", language: str | None = None) -> QuerySet[FaqEntry]:
    """Published FAQ entries, for reuse as canned answers (support) or links.

    `query` keeps entries whose question or answer contains it (case-insensitive; words must all match).
    `language` ("fr", "en") keeps the entries of that language; None keeps every language.
    Each entry offers `.question`, `.answer_text()` and `.get_absolute_url()`.
    """
    entries = FaqEntry.objects.filter(live=True).select_related("locale", "category")
    if language:
        entries = entries.filter(locale__language_code=language)
    found = text_search.matching_pks(doc_type="faq", query=query) if (query or "").strip() else None
    if found is not None:
        # The portal's search engine (accents, stems, one typo); the FAQ keeps its own order.
        entries = entries.filter(pk__in=found)
    else:
        for word in (query or "").split():
            entries = entries.filter(Q(question__icontains=word) | Q(answer__icontains=word))
    return entries.order_by("category__sort_order", "sort_order", "question")


def faq_page_context(*, locale: Locale, query: str = "") -> dict:
    """The FAQ page: categories (in order) with their published entries, filtered by a search query."""
    query = (query or "").strip()[:200]
    entries = list(faq_entries_for_reuse(query=query).filter(locale=locale))
    categories = list(FaqCategory.objects.filter(locale=locale))
    by_category = {category.pk: [] for category in categories}
    uncategorised = []
    for entry in entries:
        by_category.get(entry.category_id, uncategorised).append(entry)
    groups = [{"category": c, "entries": by_category[c.pk]} for c in categories if by_category[c.pk]]
    if uncategorised:
        groups.append({"category": None, "entries": uncategorised})
    return {"faq_groups": groups, "faq_query": query, "faq_count": len(entries)}


# ---------------------------------------------------------------------------------------------------------
# Kits: recap table, kit page, progress
# ---------------------------------------------------------------------------------------------------------


def kit_recap(
    *, index_page: KitIndexPage | None = None, locale=None, audience=None, theme=None, request=None
) -> list[dict]:
    """The strategy's recap table built from the live kit pages: one row per kit with its theme, the
    formats offered (a set of codes), audiences and group in charge. Three queries whatever the number
    (pass `request` so page URLs reuse the site root paths cached on it)."""
    kits = KitPage.objects.live().select_related("responsible_group", "locale")
    if index_page is not None:
        scope = kits.child_of(index_page)
        # A kit not translated yet is still listed, in its original language, rather than hidden.
        default_locale = Locale.get_default()
        original = None
        if index_page.locale_id != default_locale.pk:
            original = index_page.get_translation_or_none(default_locale)
            if original is not None:
                scope = scope | kits.child_of(original).exclude(
                    translation_key__in=scope.values("translation_key")
                )
        kits = scope
    elif locale is not None:
        kits = kits.filter(locale=locale)
    if audience:
        kits = kits.filter(audiences__code=audience)
    if theme:
        kits = kits.filter(theme=theme)
    kits = kits.prefetch_related("audiences", "formats").order_by("path").distinct()
    rows = []
    for kit in kits:
        rows.append(
            {
                "kit": kit,
                "title": kit.title,
                "url": kit.get_url(request=request),
                "theme": kit.get_theme_display(),
                "theme_code": kit.theme,
                "formats": {option.code for option in kit.formats.all()},
                "format_labels": [str(option) for option in kit.formats.all()],
                "audiences": [str(option) for option in kit.audiences.all()],
                "group": kit.responsible_group.name if kit.responsible_group else "",
                "estimated_minutes": kit.estimated_minutes,
                "language": kit.locale.language_code,
            }
        )
    if index_page is not None and original is not None:
        # Translated and untranslated kits in the order of the original index.
        order = {
            key: position
            for position, key in enumerate(
                KitPage.objects.child_of(original).order_by("path").values_list("translation_key", flat=True)
            )
        }
        rows.sort(key=lambda row: order.get(row["kit"].translation_key, len(order)))
    return rows


def source_kit(kit: KitPage) -> KitPage:
    """The kit in the default language (progress is kept there), or the kit itself."""
    default_locale = Locale.get_default()
    if kit.locale_id == default_locale.pk:
        return kit
    return KitPage.objects.filter(translation_key=kit.translation_key, locale=default_locale).first() or kit


def kit_progress_for(*, user, kit: KitPage) -> KitProgress | None:
    if not user.is_authenticated:
        return None
    return KitProgress.objects.filter(user=user, kit=source_kit(kit)).first()


def kit_page_context(*, kit: KitPage, user) -> dict:
    """What a kit page shows besides its fields: the person's progress and the upcoming sessions."""
    progress = kit_progress_for(user=user, kit=kit)
    done = set(progress.done_steps) if progress else set()
    step_ids = kit.step_ids()
    sessions = list(
        TrainingSession.objects.filter(
            kit__translation_key=kit.translation_key, start__gte=timezone.now(), is_cancelled=False
        )
        .select_related("kit")
        .annotate(
            n_confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED))
        )
        .order_by("start")[:10]
    )
    changes = list(kit.changes.all())
    faq_page = FaqIndexPage.objects.live().filter(locale_id=kit.locale_id).first()
    return {
        "faq_url": faq_page.url if faq_page else "",
        "progress": progress,
        "done_steps": done,
        "steps_done_count": len(done & set(step_ids)),
        "steps_count": len(step_ids),
        "upcoming_sessions": sessions,
        "version_changes": sorted(changes, key=lambda change: change.version, reverse=True),
        "outdated_completion": bool(
            progress and progress.completed_version and progress.completed_version < kit.version
        ),
    }


# ---------------------------------------------------------------------------------------------------------
# Learning record (profile, ambassador profile)
# ---------------------------------------------------------------------------------------------------------


def learning_record(*, user) -> dict:
    """What a person learnt on the portal, for their profile and an ambassador's public profile.

    Returns `{"completed_kits": [{"title", "url", "completed_at"}], "attended_sessions": [{"title", "url",
    "start"}]}`, most recent first. Kit titles and URLs are in the active language when a translation is
    live. Dates are aware datetimes.
    """
    if user is None or not getattr(user, "pk", None):
        return {"completed_kits": [], "attended_sessions": []}
    progress = list(
        KitProgress.objects.filter(user=user, completed_at__isnull=False)
        .select_related("kit")
        .order_by("-completed_at")
    )
    language = translation.get_language() or "fr"
    translated = {}
    if progress:
        keys = [item.kit.translation_key for item in progress]
        for page in KitPage.objects.live().filter(translation_key__in=keys, locale__language_code=language):
            translated[page.translation_key] = page
    completed = []
    for item in progress:
        page = translated.get(item.kit.translation_key, item.kit)
        completed.append({"title": page.title, "url": page.url, "completed_at": item.completed_at})
    attended = [
        {"title": registration.session.display_title, "url": registration.session.get_absolute_url(),
         "start": registration.session.start}
        for registration in Registration.objects.filter(user=user, attended=True)
        .select_related("session__kit")
        .order_by("-session__start")
    ]  # fmt: skip
    return {"completed_kits": completed, "attended_sessions": attended}


# ---------------------------------------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------------------------------------


def upcoming_sessions(
    *,
    departements: set[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int | None = None,
) -> QuerySet[TrainingSession]:
    """Sessions not cancelled starting from `start` (default: now) and before `end`, soonest first.

    `departements` keeps in-person sessions held in those départements plus every remote and one-to-one
    session (they are open to all). Each session carries `n_confirmed` (confirmed registrations).
    """
    sessions = (
        TrainingSession.objects.filter(is_cancelled=False, start__gte=start or timezone.now())
        .select_related("kit", "trainer")
        .annotate(
            n_confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED))
        )
        .order_by("start", "pk")
    )
    if end is not None:
        sessions = sessions.filter(start__lt=end)
    if departements is not None:
        sessions = sessions.filter(~Q(kind=SessionKind.IN_PERSON) | Q(departement__in=departements))
    if limit is not None:
        sessions = sessions[:limit]
    return sessions


def registration_for(*, session: TrainingSession, user) -> Registration | None:
    if not user.is_authenticated:
        return None
    return session.registrations.filter(user=user).first()


def can_see_visio(*, session: TrainingSession, user) -> bool:
    """Only confirmed registrants, the trainer and staff see the visio link."""
    if not user.is_authenticated:
        return False
    confirmed = session.registrations.filter(user=user, status=Registration.Status.CONFIRMED).exists()
    return permissions.can_see_session_visio(user, session, confirmed=confirmed)


def session_registrants(*, session: TrainingSession) -> QuerySet[Registration]:
    return session.registrations.select_related("user").order_by("status", "registered_at", "pk")


def waiting_position(*, registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITING:
        return None
    return (
        registration.session.registrations.filter(
            status=Registration.Status.WAITING, registered_at__lte=registration.registered_at
        )
        .exclude(pk__gt=registration.pk, registered_at=registration.registered_at)
        .count()
    )


def session_when(session: TrainingSession) -> str:
    start = timezone.localtime(session.start)
    end = timezone.localtime(session.end)
    return f"{date_format(start, 'DATETIME_FORMAT')} – {date_format(end, 'TIME_FORMAT')}"


# ---------------------------------------------------------------------------------------------------------
# Home page, key figures, RGPD
# ---------------------------------------------------------------------------------------------------------


def home_section(*, request) -> dict | None:
    """The next training sessions for the home page."""
    sessions = list(upcoming_sessions(limit=4))
    items = [
        {
            "title": session.display_title,
            "url": session.get_absolute_url(),
            "meta": f"{session_when(session)} · {session.get_kind_display()}",
        }
        for session in sessions
    ]
    return {
        "title": _("Prochaines formations"),
        "items": items,
        "more_url": reverse("kits:session_list"),
        "more_label": _("Toutes les formations"),
    }


def key_figures() -> list[dict]:
    return [
        {"value": KitPage.objects.live().filter(locale=Locale.get_default()).count(), "label": _("kits")},
        {
            "value": KitProgress.objects.filter(completed_at__isnull=False).count(),
            "label": _("kits terminés"),
        },
    ]


def personal_data(*, user) -> dict:
    """Everything the kits app keeps about a person (RGPD export)."""
    return {
        "kit_progress": [
            {
                "kit": progress.kit.title,
                "done_steps": progress.done_steps,
                "completed_at": progress.completed_at.isoformat() if progress.completed_at else None,
                "completed_version": progress.completed_version,
            }
            for progress in KitProgress.objects.filter(user=user).select_related("kit")
        ],
        "registrations": [
            {
                "session": registration.session.display_title,
                "start": registration.session.start.isoformat(),
                "status": registration.status,
                "registered_at": registration.registered_at.isoformat(),
                "attended": registration.attended,
                "feedback": (
                    {
                        "rating": registration.feedback.rating,
                        "useful": registration.feedback.useful,
                        "improve": registration.feedback.improve,
                    }
                    if hasattr(registration, "feedback")
                    else None
                ),
            }
            for registration in Registration.objects.filter(user=user).select_related(
                "session__kit", "feedback"
            )
        ],
        "one_to_one_requests": [
            {
                "topic": request.topic,
                "message": request.message,
                "availability": request.availability,
                "status": request.status,
                "created_at": request.created_at.isoformat(),
            }
            for request in user.one_to_one_requests.all()
        ],
        "faq_entries_proposed": list(
            FaqEntry.objects.filter(created_by=user).values_list("question", flat=True)
        ),
    }
