"""The explicit registry of what is searchable: one `Indexer` per document type.

Each indexer reads its app's models through `django.apps` (no import of a feature app's internals at
import time), turns one object into its documents (one per language for translated pages), lists every
indexable object for `search_rebuild`, names the models whose saves and deletions re-index which objects,
and, for documents readable by some roles only, says which audience tokens a person holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings

from core.territories import departement_of, region_of
from search.models import SearchDocument
from search.text import plain

Type = SearchDocument.Type


@dataclass(frozen=True)
class Indexer:
    doc_type: str
    model: str  # "app_label.ModelName" of the indexed objects
    documents: Callable[[object], list[dict]]  # [] when the object is not (or no longer) findable
    objects: Callable[[], Iterable]
    #: model label -> function(instance) -> objects of `model` to re-index when that instance changes
    watches: dict[str, Callable] = field(default_factory=dict)
    #: function(user) -> audience tokens this person holds (documents with visibility "roles")
    audiences: Callable | None = None

    @property
    def app_label(self) -> str:
        return self.model.split(".")[0]

    def model_class(self):
        return apps.get_model(self.model)


REGISTRY: dict[str, Indexer] = {}


def register(indexer: Indexer) -> None:
    if apps.is_installed(indexer.app_label):
        REGISTRY[indexer.doc_type] = indexer


def stream_text(value) -> str:
    """Every string of a StreamField's raw data (titles, paragraphs, captions), without HTML."""
    found = []

    def walk(node):
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            for key, item in node.items():
                if key not in ("id", "type"):
                    walk(item)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(list(value.raw_data) if hasattr(value, "raw_data") else value)
    return plain(" ".join(found))


def territory(code: str) -> dict:
    code = code or ""
    return {
        "departement": departement_of(code) or "",
        "region": region_of(code) or "",
        "commune": code if len(code) == 5 else "",
    }


def page_language(page) -> str:
    return page.locale.language_code if page.locale_id else ""


# --- Alternatives ------------------------------------------------------------------------------------

# Content fields an element may carry besides the ones below (the feed check keeps more of each record
# over time): every one present is indexed.
ELEMENT_CONTENT_FIELDS = ("description", "description_more", "opening_hours", "content", "extra_fields")


def element_documents(element) -> list[dict]:
    if element.removed_at is not None:
        return []
    source = element.source
    categories = [str(category) for category in (element.categories or [])]
    extra = []
    for name in ELEMENT_CONTENT_FIELDS:
        value = getattr(element, name, None)
        if isinstance(value, dict):
            extra += [str(item) for item in value.values() if isinstance(item, str | int | float)]
        elif isinstance(value, list):
            extra += [str(item) for item in value]
        elif value:
            extra.append(str(value))
    body = " · ".join(
        part
        for part in [plain(" ".join(extra)), element.address, element.postal_code, ", ".join(categories)]
        if part
    )
    map_url = source.effective_map_url
    if element.latitude is not None and element.longitude is not None:
        url = f"{map_url}/annuaire#/carte/@{element.latitude:.5f},{element.longitude:.5f},17z"
    else:
        url = f"{map_url}/annuaire"
    return [
        {
            "title": element.name,
            "body": body,
            "url": url,
            **territory(element.departement or element.postal_code),
            "latitude": element.latitude,
            "longitude": element.longitude,
            "categories": categories,
            "source_ids": [source.pk],
        }
    ]


def element_key(element) -> str:
    return f"{element.source_id}:{element.element_id}"


register(
    Indexer(
        doc_type=Type.ALTERNATIVE,
        model="sources.SourceElement",
        documents=element_documents,
        objects=lambda: (
            apps.get_model("sources.SourceElement")
            .objects.filter(removed_at__isnull=True)
            .select_related("source")
            .order_by("pk")
        ),
    )
)


# --- Sources -----------------------------------------------------------------------------------------


def source_documents(source) -> list[dict]:
    if not source.is_active:
        return []
    return [
        {
            "title": source.name,
            "body": plain(f"{source.description} {source.website}"),
            "url": source.website or source.effective_map_url,
            **territory(source.territory if not source.territory.startswith("R") else ""),
            "region": region_of(source.territory) or "",
            "source_ids": [source.pk],
        }
    ]


register(
    Indexer(
        doc_type=Type.SOURCE,
        model="sources.Source",
        documents=source_documents,
        objects=lambda: apps.get_model("sources.Source").objects.order_by("pk"),
    )
)


# --- Kits, stories (Wagtail pages) ---------------------------------------------------------------------


def public_page(page) -> bool:
    from wagtail.models import Page

    return Page.objects.live().public().filter(pk=page.pk).exists()


def kit_documents(page) -> list[dict]:
    if not public_page(page):
        return []
    return [
        {
            "title": page.title,
            "body": plain(f"{page.summary} {stream_text(page.body)}"),
            "url": page.get_url() or page.url_path,
            "language": page_language(page),
            "categories": [page.get_theme_display()],
        }
    ]


def story_documents(page) -> list[dict]:
    if not public_page(page):
        return []
    return [
        {
            "title": page.title,
            "body": plain(f"{page.introduction} {stream_text(page.body)}"),
            "url": page.get_url() or page.url_path,
            "language": page_language(page),
            **territory(page.territory),
            "categories": [page.get_kind_display()],
        }
    ]


register(
    Indexer(
        doc_type=Type.KIT,
        model="kits.KitPage",
        documents=kit_documents,
        objects=lambda: apps.get_model("kits.KitPage").objects.live().public().order_by("pk"),
    )
)
register(
    Indexer(
        doc_type=Type.STORY,
        model="stories.StoryPage",
        documents=story_documents,
        objects=lambda: apps.get_model("stories.StoryPage").objects.live().public().order_by("pk"),
    )
)


# --- FAQ, training sessions ----------------------------------------------------------------------------


def faq_documents(entry) -> list[dict]:
    if not entry.live:
        return []
    return [
        {
            "title": entry.question,
            "body": entry.answer_text(),
            "url": entry.get_absolute_url(),
            "language": entry.locale.language_code if entry.locale_id else "",
            "categories": [entry.category.name] if entry.category_id else [],
        }
    ]


def session_documents(session) -> list[dict]:
    if session.is_cancelled:
        return []
    return [
        {
            "title": session.display_title,
            "body": plain(f"{session.description} {session.location} {session.kit.title}"),
            "url": session.get_absolute_url(),
            **territory(session.departement),
            "categories": [session.get_kind_display()],
            "event_date": session.start,
        }
    ]


register(
    Indexer(
        doc_type=Type.FAQ,
        model="kits.FaqEntry",
        documents=faq_documents,
        objects=lambda: apps.get_model("kits.FaqEntry").objects.filter(live=True).order_by("pk"),
    )
)
register(
    Indexer(
        doc_type=Type.SESSION,
        model="kits.TrainingSession",
        documents=session_documents,
        objects=lambda: (
            apps.get_model("kits.TrainingSession")
            .objects.filter(is_cancelled=False)
            .select_related("kit")
            .order_by("pk")
        ),
    )
)


# --- Agenda --------------------------------------------------------------------------------------------


def _visible_events():
    from agenda.selectors import visible_events

    return visible_events()


def event_documents(event) -> list[dict]:
    if not _visible_events().filter(pk=event.pk).exists():
        return []
    return [
        {
            "title": event.title,
            "body": plain(f"{event.description} {event.location} {event.organiser}"),
            "url": event.get_absolute_url(),
            "departement": event.departement,
            "region": event.region,
            "latitude": event.latitude,
            "longitude": event.longitude,
            "categories": [str(category) for category in (event.categories or [])],
            "source_ids": [event.source_id] if event.source_id else [],
            "event_date": event.start,
        }
    ]


register(
    Indexer(
        doc_type=Type.EVENT,
        model="agenda.Event",
        documents=event_documents,
        objects=lambda: _visible_events().order_by("pk"),
        # Hiding or switching off a feed hides its events.
        watches={"agenda.AgendaFeed": lambda feed: list(feed.events.all())},
    )
)


# --- Forum ---------------------------------------------------------------------------------------------


def topic_documents(topic) -> list[dict]:
    Category = apps.get_model("community.Category")
    Post = apps.get_model("community.Post")
    posts = Post.objects.filter(topic=topic, status=Post.Status.PUBLISHED).order_by("pk")
    body = plain(" ".join(posts.values_list("body_html", flat=True)))
    if not body and not Post.objects.filter(topic=topic, status=Post.Status.HELD).exists():
        return []  # every post hidden or removed: the topic is gone from the forum's lists too
    # A topic whose first post awaits moderation is listed by its title, as the forum lists it: the
    # title is found, the held text is not.
    visibility = topic.category.visibility
    public = visibility == Category.Visibility.PUBLIC
    return [
        {
            "title": topic.title,
            "body": body,
            "url": topic.get_absolute_url(),
            "categories": [topic.category.name],
            "source_ids": [topic.category.source_id] if topic.category.source_id else [],
            "visibility": SearchDocument.Visibility.PUBLIC if public else SearchDocument.Visibility.ROLES,
            # One audience per category: who may read it is the forum's rule (per source, per role).
            "audience": "" if public else f"forum:{topic.category_id}",
        }
    ]


def forum_audiences(user) -> set[str]:
    """The forum's own read rule (accounts.permissions.forum_categories_filter): the categories this
    person may read, whether by role or as the maintainer of that category's source."""
    from accounts.permissions import forum_categories_filter

    Category = apps.get_model("community.Category")
    return {
        f"forum:{pk}"
        for pk in Category.objects.filter(forum_categories_filter(user)).values_list("pk", flat=True)
    }


register(
    Indexer(
        doc_type=Type.TOPIC,
        model="community.Topic",
        documents=topic_documents,
        objects=lambda: apps.get_model("community.Topic").objects.select_related("category").order_by("pk"),
        watches={
            "community.Post": lambda post: [post.topic],
            "community.Category": lambda category: list(category.topics.all()),
        },
        audiences=forum_audiences,
    )
)


# --- Ambassadors ---------------------------------------------------------------------------------------


def ambassador_documents(profile) -> list[dict]:
    from community.selectors import directory_profiles

    if not directory_profiles().filter(pk=profile.pk).exists():
        return []
    parts = [profile.departement_name, *profile.theme_labels()]
    if profile.show_organisation:
        parts.append(profile.organisation)
    if profile.show_bio:
        parts.append(profile.bio)
    return [
        {
            "title": str(profile.user),
            "body": plain(" · ".join(str(part) for part in parts if part)),
            "url": profile.get_absolute_url(),
            **territory(profile.departement),
            "categories": [str(label) for label in profile.theme_labels()],
        }
    ]


register(
    Indexer(
        doc_type=Type.AMBASSADOR,
        model="community.AmbassadorProfile",
        documents=ambassador_documents,
        objects=lambda: (
            apps.get_model("community.AmbassadorProfile").objects.select_related("user").order_by("pk")
        ),
        watches={
            "accounts.User": lambda user: list(
                apps.get_model("community.AmbassadorProfile").objects.filter(user=user)
            )
        },
    )
)


def object_key(doc_type: str, instance) -> str:
    return element_key(instance) if doc_type == Type.ALTERNATIVE else str(instance.pk)


def default_language() -> str:
    return settings.LANGUAGE_CODE.split("-")[0]
