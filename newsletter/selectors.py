"""Reads of the newsletter: recipients, and the composition of an issue per territory.

Composition is set-based: the period's new alternatives, stories and sources are read once (one query
each), then bucketed per territory key in Python; agenda events and trainings are asked once per key.
Nothing is read per recipient, so the queries per recipient do not grow with the number of subscribers.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from math import cos, radians

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import verified_email_q
from agenda.selectors import upcoming_events
from core.territories import DEPARTEMENTS
from kits.selectors import upcoming_sessions
from newsletter.communes import coordinates, distance_km
from newsletter.models import Delivery, NewsletterIssue, Subscriber, departements_of_region

BLOCK_LIMIT = 10
AGENDA_WINDOW = {"weekly": timedelta(days=14), "monthly": timedelta(days=45)}


@dataclass
class TerritoryBlocks:
    key: str
    departements: list[str]
    alternatives: list[dict] = field(default_factory=list)
    alternatives_total: int = 0
    stories: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    events: list = field(default_factory=list)
    trainings: list = field(default_factory=list)

    def for_topics(self, topics) -> dict:
        topics = set(topics)
        return {
            "alternatives": self.alternatives if "alternatives" in topics else [],
            "alternatives_total": self.alternatives_total if "alternatives" in topics else 0,
            "stories": self.stories if "stories" in topics else [],
            "sources": self.sources if "sources" in topics else [],
            "events": self.events if "events" in topics else [],
            "trainings": self.trainings if "trainings" in topics else [],
        }

    def has_content(self, topics) -> bool:
        """Whether a subscriber to these topics has anything to read; with nothing, they get no e-mail."""
        return any(items for name, items in self.for_topics(topics).items() if name != "alternatives_total")


def recipients(*, issue: NewsletterIssue):
    return Subscriber.objects.filter(status=Subscriber.Status.ACTIVE, frequency=issue.frequency)


def recipient_count(*, issue: NewsletterIssue) -> int:
    return recipients(issue=issue).count()


def auto_send_at(*, issue: NewsletterIssue):
    """When an automatic draft leaves by itself (None: never, or not any more)."""
    hours = settings.NEWSLETTER_AUTO_SEND_AFTER_HOURS
    if hours is None or not issue.created_automatically or issue.held or issue.status != issue.Status.DRAFT:
        return None
    return issue.created_at + timedelta(hours=hours)


def departements_for_key(key: str) -> list[str]:
    if key.startswith("R"):
        return departements_of_region(key[1:])
    if key.startswith("C"):
        code = key[1:].split(":")[0]
        return [code[:3] if code.startswith("97") else code[:2]]
    return [key[1:]] if key[1:] in DEPARTEMENTS else []


def _dated_items(objects, *, title) -> list[dict]:
    """Agenda events and training sessions as plain data, so rendering an issue for each subscriber
    makes no query."""
    return [
        {
            "title": title(item),
            "start": timezone.localtime(item.start),
            "location": getattr(item, "location", ""),
            "url": settings.SITE_URL.rstrip("/") + item.get_absolute_url(),
        }
        for item in objects
    ]


def _period_alternatives(issue):
    from sources.models import SourceElement

    return list(
        SourceElement.objects.filter(
            first_seen_at__gte=issue.period_start, first_seen_at__lt=issue.period_end, removed_at__isnull=True
        )
        .order_by("-first_seen_at")
        .values("name", "departement", "latitude", "longitude", "website", "postal_code", "source__name")
    )


def _period_stories(issue):
    from wagtail.models import Locale

    from stories.models import StoryPage

    stories = (
        StoryPage.objects.live()
        .public()
        .filter(first_published_at__gte=issue.period_start, first_published_at__lt=issue.period_end)
        .filter(locale=Locale.get_default())
        .order_by("-first_published_at")
    )
    return [
        {
            "title": story.title,
            "url": story.full_url,
            "departement": story.departement,
            "region": story.region,
            "kind": story.get_kind_display(),
            "introduction": story.introduction,
        }
        for story in stories
    ]


def _period_sources(issue):
    from sources.models import Source

    sources = Source.objects.filter(is_active=True).filter(
        Q(joined_on__gte=issue.period_start.date(), joined_on__lt=issue.period_end.date())
        | Q(joined_on__isnull=True, created_at__gte=issue.period_start, created_at__lt=issue.period_end)
    )
    return [
        {"name": source.name, "website": source.website, "territory": source.territory} for source in sources
    ]


def _territory_matches(code: str, departements: set[str], regions: set[str]) -> bool:
    """National items (no territory) reach everyone; others reach their département or region."""
    if not code:
        return True
    if code.startswith("R"):
        return code[1:] in regions
    from core.territories import departement_of

    return departement_of(code) in departements


def _within_radius(alternatives, *, centre, radius: float) -> list[dict]:
    if centre is None:
        return []
    # A cheap bounding box first (1° of latitude is ~111 km), then the exact distance.
    lat, lon = centre
    delta_lat = radius / 111.0
    delta_lon = radius / (111.0 * max(cos(radians(lat)), 0.01))
    return [
        element
        for element in alternatives
        if element["latitude"] is not None
        and element["longitude"] is not None
        and abs(element["latitude"] - lat) <= delta_lat
        and abs(element["longitude"] - lon) <= delta_lon
        and distance_km(lat, lon, element["latitude"], element["longitude"]) <= radius
    ]


def compose(*, issue: NewsletterIssue, keys) -> dict[str, TerritoryBlocks]:
    alternatives = _period_alternatives(issue)
    stories = _period_stories(issue)
    sources = _period_sources(issue)
    window_end = issue.period_end + AGENDA_WINDOW.get(issue.frequency, timedelta(days=30))
    by_departement: dict[str, list[dict]] = {}
    for element in alternatives:  # newest first, kept in that order inside each bucket
        by_departement.setdefault(element["departement"], []).append(element)
    composed = {}
    for key in keys:
        departements = departements_for_key(key)
        department_set = set(departements)
        regions = {DEPARTEMENTS[code][1] for code in departements}
        blocks = TerritoryBlocks(key=key, departements=departements)
        if key.startswith("C"):
            code, radius = key[1:].split(":")
            matching = _within_radius(alternatives, centre=coordinates(code), radius=float(radius or 0))
        elif len(departements) == 1:
            matching = by_departement.get(departements[0], [])
        else:
            matching = [element for element in alternatives if element["departement"] in department_set]
        blocks.alternatives_total = len(matching)
        blocks.alternatives = matching[:BLOCK_LIMIT]
        blocks.stories = [
            story
            for story in stories
            if (not story["departement"] and not story["region"])
            or story["departement"] in department_set
            or (not story["departement"] and story["region"] in regions)
        ][:BLOCK_LIMIT]
        blocks.sources = [s for s in sources if _territory_matches(s["territory"], department_set, regions)]
        if departements:
            blocks.events = _dated_items(
                upcoming_events(
                    departements=set(departements), start=issue.period_end, end=window_end, limit=BLOCK_LIMIT
                ),
                title=lambda event: event.title,
            )
            blocks.trainings = _dated_items(
                upcoming_sessions(
                    departements=set(departements), start=issue.period_end, end=window_end, limit=BLOCK_LIMIT
                ),
                title=lambda session: session.display_title,
            )
        composed[key] = blocks
    return composed


def delivery_counts(*, issue: NewsletterIssue) -> dict[str, int]:
    from django.db.models import Count

    return dict(issue.deliveries.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))


def archive():
    return NewsletterIssue.objects.filter(status=NewsletterIssue.Status.SENT).order_by("-sent_at")


def personal_data(*, user) -> dict:
    subscriber = Subscriber.objects.filter(verified_email_q("email", user=user)).first()
    if subscriber is None:
        return {}
    return {
        "newsletter_subscription": {
            "email": subscriber.email,
            "status": subscriber.status,
            "territory": subscriber.territory_label,
            "topics": subscriber.topics,
            "frequency": subscriber.frequency,
            "language": subscriber.language,
            "subscribed_at": subscriber.created_at.isoformat(),
            "confirmed_at": subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else None,
            "issues_received": Delivery.objects.filter(
                subscriber=subscriber, status=Delivery.Status.SENT
            ).count(),
        }
    }


def key_figures() -> list[dict]:
    count = Subscriber.objects.filter(status=Subscriber.Status.ACTIVE).count()
    return [{"value": count, "label": _("abonné·es à la lettre")}] if count else []
