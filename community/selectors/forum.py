"""Reads of the forum: who may see what, lists with unread counts, the moderation queue."""

from django.db.models import (
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from accounts import permissions
from core import text_search

from ..models import (
    Category,
    Post,
    Subscription,
    Topic,
    TopicRead,
)

TOPICS_PER_PAGE = 25
POSTS_PER_PAGE = 20


# --- Who may do what (built on accounts/permissions.py only) -----------------------------------------


def can_view_category(*, user, category: Category) -> bool:
    return permissions.can_view_forum_category(user, category)


def can_start_topic(*, user, category: Category) -> bool:
    return bool(user and user.is_authenticated) and can_view_category(user=user, category=category)


def can_reply(*, user, topic: Topic) -> bool:
    if not can_start_topic(user=user, category=topic.category):
        return False
    return not topic.is_locked or permissions.can_moderate(user)


def can_edit_post(*, user, post: Post) -> bool:
    if not (user and user.is_authenticated):
        return False
    if permissions.can_moderate(user):
        return True
    return post.author_id == user.pk and post.status == Post.Status.PUBLISHED and not post.topic.is_locked


def can_mark_solution(*, user, topic: Topic) -> bool:
    return bool(user and user.is_authenticated) and (
        topic.author_id == user.pk or permissions.can_moderate(user)
    )


def can_see_post(*, user, post: Post) -> bool:
    """Held and hidden posts are seen only by their author and the moderators."""
    if post.status == Post.Status.PUBLISHED:
        return True
    if post.status == Post.Status.REMOVED:
        return permissions.can_moderate(user)
    return permissions.can_moderate(user) or (user.is_authenticated and post.author_id == user.pk)


def visible_categories(*, user) -> QuerySet[Category]:
    return Category.objects.filter(permissions.forum_categories_filter(user))


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
    topics = Topic.objects.filter(
        permissions.forum_categories_filter(user, prefix="category__")
    ).select_related("category", "author", "last_post_author")
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
    if permissions.can_moderate(user):
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


def category_feed_topics(*, category: Category, limit: int = 30) -> QuerySet[Topic]:
    """The newest topics of a category for its RSS feed, each with its published first post in
    `published_first_posts` (a list of zero or one), in a fixed number of queries."""
    first_posts = Post.objects.filter(is_first=True, status=Post.Status.PUBLISHED)
    return (
        category.topics.select_related("author")
        .prefetch_related(Prefetch("posts", queryset=first_posts, to_attr="published_first_posts"))
        .order_by("-created_at")[:limit]
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
