"""Reads of the stories app: lists, the showcase, share links, the home section, personal data."""

from urllib.parse import quote, urlencode

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wagtail.models import Locale

from accounts.selectors import verified_email_q
from stories.models import Contributor, SourcesShowcasePage, StoryIndexPage, StoryPage, Submission


def _current_locale() -> Locale:
    try:
        return Locale.get_active()
    except Locale.DoesNotExist:
        return Locale.get_default()


def story_list(*, locale: Locale | None = None, kind: str | None = None, limit: int | None = None):
    """Published stories, newest first, with what a card shows loaded up front."""
    stories = StoryPage.objects.live().public().select_related("image", "locale")
    if locale is not None:
        stories = stories.filter(locale=locale)
    if kind:
        stories = stories.filter(kind=kind)
    stories = stories.order_by("-first_published_at", "-pk")
    return stories[:limit] if limit else stories


def story_index_page(*, locale: Locale | None = None) -> StoryIndexPage | None:
    locale = locale or _current_locale()
    return (
        StoryIndexPage.objects.live().filter(locale=locale).first()
        or StoryIndexPage.objects.live().filter(locale=Locale.get_default()).first()
    )


def share_links(*, page, request) -> dict:
    """Links to share a story without any third-party script (Mastodon goes through our instance form)."""
    url = page.full_url or request.build_absolute_uri(page.url)
    text = f"{page.title} {url}"
    return {
        "url": url,
        "text": text,
        "mastodon_form": reverse("stories:share_mastodon"),
        "email": "mailto:?" + urlencode({"subject": page.title, "body": url}, quote_via=quote),
        "bluesky": "https://bsky.app/intent/compose?" + urlencode({"text": text}, quote_via=quote),
        "linkedin": "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        "facebook": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
    }


def mastodon_share_url(*, instance: str, text: str) -> str:
    return f"https://{instance}/share?" + urlencode({"text": text}, quote_via=quote)


def showcase_sources():
    """Active sources with the number of alternatives they currently bring to the map, in one query."""
    from sources.models import Source

    return list(
        Source.objects.filter(is_active=True)
        .select_related("logo")
        .annotate(
            alternatives_count=Count("elements", filter=Q(elements__removed_at__isnull=True), distinct=True)
        )
        .order_by("name")
    )


def _upcoming_events_of(*, source, limit: int) -> list:
    """The source's own upcoming agenda events (those it organises or co-organises), soonest first."""
    from agenda.selectors import filter_events, upcoming_events

    return list(filter_events(upcoming_events(), source=source.slug)[:limit])


def showcase_source_detail(*, source, locale: Locale | None = None) -> dict:
    """What a source's own showcase page shows: its figures, its stories and its agenda."""
    alternatives = source.elements.filter(removed_at__isnull=True).count()
    stories = story_list(locale=locale).filter(sources=source)[:12]
    return {
        "alternatives_count": alternatives,
        "stories": stories,
        "events": _upcoming_events_of(source=source, limit=6),
    }


def showcase_page(*, locale: Locale | None = None) -> SourcesShowcasePage | None:
    locale = locale or _current_locale()
    return (
        SourcesShowcasePage.objects.live().filter(locale=locale).first()
        or SourcesShowcasePage.objects.live().first()
    )


def home_section(*, request) -> dict | None:
    stories = story_list(locale=_current_locale(), limit=5)
    index_page = story_index_page()
    return {
        "title": _("Derniers récits"),
        "items": [
            {"title": story.title, "url": story.url, "meta": story.get_kind_display()} for story in stories
        ],
        "more_url": reverse("stories:index"),
        "more_label": _("Tous les récits") if index_page else "",
    }


def key_figures() -> list[dict]:
    count = StoryPage.objects.live().filter(locale=Locale.get_default()).count()
    return [{"value": count, "label": _("récits publiés")}] if count else []


def personal_data(*, user) -> dict:
    """What the stories app stores about a person: testimonies sent with their address, their credits."""
    submissions = Submission.objects.filter(verified_email_q("email", user=user)).select_related("call")
    return {
        "testimonies": [
            {
                "call": submission.call.title,
                "sent_at": submission.created_at.isoformat(),
                "name": submission.name,
                "phone": submission.phone,
                "territory": submission.territory,
                "text": submission.text,
                "status": submission.status,
                "photos": [photo.credit for photo in submission.photos.all()],
            }
            for submission in submissions
        ],
        "contributor_profiles": list(
            Contributor.objects.filter(user=user).values("name", "organisation", "bio")
        ),
        "stories_owned": list(StoryPage.objects.filter(owner=user).values_list("title", flat=True)),
    }


def feed_language() -> str:
    return get_language() or settings.LANGUAGE_CODE
