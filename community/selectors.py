"""Reads of the community app: who may see what in the forum, lists with unread counts, the directory."""

from datetime import timedelta

from django.conf import settings
from django.db import NotSupportedError
from django.db.models import (
    BooleanField,
    Count,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from core import text_search
from core.territories import DEPARTEMENTS, REGIONS

from .models import (
    AmbassadorApplication,
    AmbassadorProfile,
    Category,
    ForumProfile,
    Post,
    Subscription,
    Topic,
    TopicRead,
)

TOPICS_PER_PAGE = 25
POSTS_PER_PAGE = 20

# --- Who is who -------------------------------------------------------------------------------------


def role_names(user) -> frozenset[str]:
    """The role groups of a person, read once per request and kept on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_community_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._community_roles = cached
    return cached


def is_moderator(user) -> bool:
    """Staff and the team role moderate the forum."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or roles.STAFF in role_names(user) or user.has_perm("community.change_post")


def visible_visibilities(user) -> list[str]:
    """The category visibilities a person may see."""
    visible = [Category.Visibility.PUBLIC]
    if user is None or not user.is_authenticated or not user.is_active:
        return visible
    visible.append(Category.Visibility.MEMBERS)
    names = role_names(user)
    moderator = is_moderator(user)
    if moderator or roles.SOURCE_MAINTAINER in names:
        visible.append(Category.Visibility.SOURCES)
    if moderator or roles.STEERING_COMMITTEE in names:
        visible.append(Category.Visibility.STEERING)
    return visible


def can_view_category(*, user, category: Category) -> bool:
    return category.visibility in visible_visibilities(user)


def can_start_topic(*, user, category: Category) -> bool:
    return bool(user and user.is_authenticated) and can_view_category(user=user, category=category)


def can_reply(*, user, topic: Topic) -> bool:
    if not can_start_topic(user=user, category=topic.category):
        return False
    return not topic.is_locked or is_moderator(user)


def can_edit_post(*, user, post: Post) -> bool:
    if not (user and user.is_authenticated):
        return False
    if is_moderator(user):
        return True
    return post.author_id == user.pk and post.status == Post.Status.PUBLISHED and not post.topic.is_locked


def can_mark_solution(*, user, topic: Topic) -> bool:
    return bool(user and user.is_authenticated) and (topic.author_id == user.pk or is_moderator(user))


def can_see_post(*, user, post: Post) -> bool:
    """Held and hidden posts are seen only by their author and the moderators."""
    if post.status == Post.Status.PUBLISHED:
        return True
    if post.status == Post.Status.REMOVED:
        return is_moderator(user)
    return is_moderator(user) or (user.is_authenticated and post.author_id == user.pk)


def visible_categories(*, user) -> QuerySet[Category]:
    return Category.objects.filter(visibility__in=visible_visibilities(user))


# --- Lists -----------------------------------------------------------------------------------------


def _unread_count_subquery(user):
    """Published posts after the last one this person read, for each topic (a correlated subquery)."""
    last_read = TopicRead.objects.filter(user=user, topic=OuterRef("topic_id")).values("last_read_post_id")[
        :1
    ]
    newer = (
        Post.objects.filter(topic=OuterRef("pk"), status=Post.Status.PUBLISHED)
        .filter(pk__gt=Coalesce(Subquery(last_read), Value(0)))
        .order_by()
        .values("topic")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(newer, output_field=IntegerField()), Value(0))


def categories_with_counts(*, user) -> list[Category]:
    """Categories a person sees, with topic counts, last activity and (signed in) unread topics."""
    categories = (
        visible_categories(user=user)
        .select_related("source")
        .annotate(topic_count=Count("topics", distinct=True), last_activity=Max("topics__last_post_at"))
    )
    categories = list(categories)
    if user and user.is_authenticated and categories:
        unread_topics = (
            Topic.objects.filter(category__in=categories)
            .annotate(unread=_unread_count_subquery(user))
            .filter(unread__gt=0)
            .values("category")
            .annotate(n=Count("pk"))
        )
        per_category = {row["category"]: row["n"] for row in unread_topics}
        for category in categories:
            category.unread_topics = per_category.get(category.pk, 0)
    return categories


def topics_for_list(*, user, category: Category | None = None, search: str = "") -> QuerySet[Topic]:
    """Topics visible to a person, newest activity first, with `unread` annotated when signed in."""
    topics = Topic.objects.filter(category__visibility__in=visible_visibilities(user)).select_related(
        "category", "author", "last_post_author"
    )
    if category is not None:
        topics = topics.filter(category=category)
    found = text_search.matching_pks(doc_type="topic", query=search) if search else None
    if found is not None:
        # The portal's search engine (accents, stems, one typo); visibility is still decided above.
        topics = topics.filter(pk__in=found)
    elif search:
        matching = Post.objects.filter(status=Post.Status.PUBLISHED, body__icontains=search).values(
            "topic_id"
        )
        topics = topics.filter(Q(title__icontains=search) | Q(pk__in=matching))
    if user and user.is_authenticated:
        topics = topics.annotate(unread=_unread_count_subquery(user))
    return topics.order_by("-is_pinned", F("last_post_at").desc(nulls_last=True), "-pk")


def posts_for_topic(*, user, topic: Topic) -> QuerySet[Post]:
    """The posts of a topic that this person may see, with what the page shows of each."""
    posts = topic.posts.select_related("author", "author__forum_profile").prefetch_related("attachments")
    if is_moderator(user):
        posts = posts.exclude(status=Post.Status.REMOVED)
    elif user and user.is_authenticated:
        posts = posts.filter(
            Q(status=Post.Status.PUBLISHED)
            | Q(author=user, status__in=[Post.Status.HELD, Post.Status.HIDDEN])
        )
    else:
        posts = posts.filter(status=Post.Status.PUBLISHED)
    return posts.annotate(flag_count=Count("flags", filter=Q(flags__resolved_at__isnull=True))).order_by(
        "created_at", "pk"
    )


def moderation_queue() -> QuerySet[Post]:
    return (
        Post.objects.filter(status__in=[Post.Status.HELD, Post.Status.HIDDEN])
        .select_related("topic", "topic__category", "author")
        .annotate(flag_count=Count("flags", filter=Q(flags__resolved_at__isnull=True)))
        .order_by("created_at")
    )


def subscription_for(*, user, category=None, topic=None) -> Subscription | None:
    if not (user and user.is_authenticated):
        return None
    return Subscription.objects.filter(user=user, category=category, topic=topic).first()


def last_read_post_id(*, user, topic: Topic) -> int:
    if not (user and user.is_authenticated):
        return 0
    return (
        TopicRead.objects.filter(user=user, topic=topic).values_list("last_read_post_id", flat=True).first()
        or 0
    )


# --- Ambassadors ----------------------------------------------------------------------------------


DIRECTORY_PER_PAGE = 24


class JSONListHas(Func):
    """True when a JSON list column holds a given string. Django's JSONField `contains` is not
    available on SQLite, so this says it in each database's own words."""

    output_field = BooleanField()
    conditional = True
    arity = 2

    def _parts(self, compiler):
        column, column_params = compiler.compile(self.source_expressions[0])
        value, value_params = compiler.compile(self.source_expressions[1])
        return column, value, (*column_params, *value_params)

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"JSONListHas is not written for {connection.vendor}")

    def as_sqlite(self, compiler, connection, **extra_context):
        column, value, params = self._parts(compiler)
        # column and value are compiled SQL fragments; the value itself travels in params.
        sql = f"EXISTS (SELECT 1 FROM json_each({column}) WHERE json_each.value = {value})"  # noqa: S608
        return sql, params

    def as_postgresql(self, compiler, connection, **extra_context):
        column, value, params = self._parts(compiler)
        return f"({column} ? {value})", params  # jsonb: a string element of the top-level array


def directory_profiles() -> QuerySet[AmbassadorProfile]:
    """The ambassadors whose page anyone may see: they opted in to the directory and their account is on."""
    return AmbassadorProfile.objects.filter(show_in_directory=True, user__is_active=True)


def directory(
    *, departement: str = "", region: str = "", theme: str = "", language: str = "", kind: str = ""
) -> QuerySet[AmbassadorProfile]:
    """Ambassadors in the directory, filtered in the database, with only what the list may show
    (organisation is shown when the ambassador ticked the box; presentation and notes are not loaded)."""
    profiles = directory_profiles()
    if departement:
        profiles = profiles.filter(departement=departement)
    if region:
        profiles = profiles.filter(region=region)
    if kind:
        profiles = profiles.filter(kind=kind)
    if theme:
        profiles = profiles.filter(JSONListHas("themes", Value(theme)))
    if language:
        profiles = profiles.filter(JSONListHas("languages", Value(language)))
    return (
        profiles.select_related("user")
        .only(
            "kind",
            "departement",
            "region",
            "themes",
            "languages",
            "organisation",
            "show_organisation",
            "is_available",
            "user__display_name",
        )
        .order_by("user__display_name", "pk")
    )


def directory_profile_pk() -> Subquery:
    """For a query on anything with a `user`: the pk of that person's directory page, or None."""
    return Subquery(directory_profiles().filter(user=OuterRef("user")).values("pk")[:1])


def forum_profiles_by_handle(*, handles) -> QuerySet[ForumProfile]:
    """Forum profiles of these lower-case handles (how mentions are resolved, for e-mails and pages)."""
    return ForumProfile.objects.filter(handle__in=handles)


def ambassador_map() -> list[dict]:
    """Ambassadors in the directory per region and département, for the server-rendered map."""
    counts = dict(
        directory_profiles()
        .values_list("departement")
        .annotate(n=Count("pk"))
        .values_list("departement", "n")
    )
    regions = []
    for region_code, region_name in sorted(REGIONS.items(), key=lambda item: item[1]):
        departements = [
            {"code": code, "name": name, "count": counts.get(code, 0)}
            for code, (name, region) in DEPARTEMENTS.items()
            if region == region_code
        ]
        regions.append(
            {
                "code": region_code,
                "name": region_name,
                "count": sum(d["count"] for d in departements),
                "departements": departements,
            }
        )
    return regions


def inactive_ambassadors(*, months: int, now=None) -> list[AmbassadorProfile]:
    """Ambassadors with no sign of activity (sign-in, forum post, follow-up exchange) for `months` months."""
    now = now or timezone.now()
    threshold = now - timedelta(days=30 * months)
    epoch = timezone.make_aware(timezone.datetime(2000, 1, 1))
    profiles = AmbassadorProfile.objects.select_related("user").annotate(
        last_post=Max("user__forum_posts__created_at"), last_exchange=Max("exchanges__created_at")
    )
    inactive = []
    for profile in profiles:
        moments = [profile.user.last_login, profile.last_post, profile.last_exchange]
        profile.last_activity = max((m for m in moments if m), default=None)
        if (profile.last_activity or epoch) < threshold:
            inactive.append(profile)
    return sorted(inactive, key=lambda p: p.last_activity or epoch)


def pending_applications() -> QuerySet[AmbassadorApplication]:
    return AmbassadorApplication.objects.filter(status=AmbassadorApplication.Status.PENDING).select_related(
        "user", "source"
    )


def learning_record(*, user):
    """Trainings attended and kits completed, when the kits app provides them (None otherwise)."""
    try:
        from kits.selectors import learning_record as kits_learning_record
    except ImportError:
        return None
    return kits_learning_record(user=user)


# --- Home page and account export -----------------------------------------------------------------


def home_section(*, request):
    topics = (
        Topic.objects.filter(category__visibility=Category.Visibility.PUBLIC)
        .select_related("category")
        .order_by(F("last_post_at").desc(nulls_last=True))[:5]
    )
    return {
        "title": _("Dernières discussions"),
        "items": [
            {
                "title": topic.title,
                "url": topic.get_absolute_url(),
                "meta": _("%(category)s · %(n)s réponses")
                % {"category": topic.category.name, "n": topic.reply_count},
            }
            for topic in topics
        ],
        "more_url": reverse("community:index"),
        "more_label": _("Aller au forum"),
    }


def key_figures():
    return [
        {
            "value": AmbassadorProfile.objects.filter(user__is_active=True).count(),
            "label": _("ambassadeur·rices"),
        },
        {"value": Topic.objects.count(), "label": _("sujets de discussion")},
    ]


def personal_data(*, user) -> dict:
    from .models import AmbassadorExchange, ContactMessage, JoinRequest

    profile = AmbassadorProfile.objects.filter(user=user).first()
    return {
        "forum_handle": getattr(getattr(user, "forum_profile", None), "handle", None),
        "forum_posts": [
            {
                "topic": post.topic.title,
                "created_at": post.created_at.isoformat(),
                "status": post.status,
                "body": post.body,
            }
            for post in Post.objects.filter(author=user).select_related("topic")
        ],
        "forum_subscriptions": [
            {
                "category": s.category.name if s.category else None,
                "topic": s.topic.title if s.topic else None,
                "frequency": s.frequency,
            }
            for s in Subscription.objects.filter(user=user).select_related("category", "topic")
        ],
        "ambassador_applications": [
            {
                "created_at": a.created_at.isoformat(),
                "motivation": a.motivation,
                "territory": a.territory,
                "themes": a.themes,
                "languages": a.languages,
                "status": a.status,
            }
            for a in AmbassadorApplication.objects.filter(user=user)
        ],
        "ambassador_profile": None
        if profile is None
        else {
            "departement": profile.departement,
            "themes": profile.themes,
            "languages": profile.languages,
            "organisation": profile.organisation,
            "bio": profile.bio,
            "show_in_directory": profile.show_in_directory,
            "show_organisation": profile.show_organisation,
            "show_bio": profile.show_bio,
            "is_available": profile.is_available,
            "follow_up_exchanges": [
                {"date": e.happened_on.isoformat(), "kind": e.kind, "summary": e.summary}
                for e in AmbassadorExchange.objects.filter(profile=profile)
            ],
            "messages_received": ContactMessage.objects.filter(profile=profile).count(),
        },
        "working_group_requests": [
            {"group": r.group.name, "created_at": r.created_at.isoformat(), "message": r.message}
            for r in JoinRequest.objects.filter(user=user).select_related("group")
        ],
    }


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"
