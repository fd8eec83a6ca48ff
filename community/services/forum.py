"""Writes of the forum: profiles, categories, topics and posts, moderation, watching, notifications and
digests."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts import permissions
from core.errors import Conflict
from core.mail import open_connection, send_templated_mail
from core.sanitize import markdown_to_html
from core.services import submission_claim

from .. import selectors
from ..mentions import handles_in_html
from ..models import (
    Attachment,
    Category,
    DigestSending,
    Flag,
    ForumProfile,
    Mention,
    PendingNotification,
    Post,
    PostRevision,
    Subscription,
    Topic,
    TopicRead,
)

logger = logging.getLogger(__name__)

FLAGS_TO_HIDE = 3
UNSUBSCRIBE_SALT = "community.unsubscribe"


def team_email() -> str:
    return getattr(settings, "COMMUNITY_TEAM_EMAIL", "communaute@transiscope.org")


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# --- People in the forum ---------------------------------------------------------------------------


def forum_profile_ensure(*, user) -> ForumProfile:
    """The person's forum profile, created with a unique @handle derived from their display name."""
    existing = ForumProfile.objects.filter(user=user).first()
    if existing:
        return existing
    base = slugify(user.display_name or user.email.split("@")[0])[:50] or "membre"
    handle, n = base, 1
    while ForumProfile.objects.filter(handle=handle).exists():
        n += 1
        handle = f"{base}-{n}"
    return ForumProfile.objects.create(user=user, handle=handle)


def needs_review(*, user) -> bool:
    """A new member's posts wait for a moderator until one of them has been published.
    People with a role were vetted already; moderators never wait."""
    if permissions.can_moderate(user) or permissions.role_names(user):
        return False
    return not Post.objects.filter(author=user, status=Post.Status.PUBLISHED).exists()


# --- Categories --------------------------------------------------------------------------------------


def category_for_source_ensure(*, source) -> Category:
    """The source's own category (sources only), watched by its maintainers."""
    category = Category.objects.filter(source=source).first()
    if category is None:
        base = slugify(f"source-{source.slug}")[:70]
        slug, n = base, 1
        while Category.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        category = Category.objects.create(
            source=source,
            name=source.name,
            slug=slug,
            description=_("L'espace d'entraide de la source %(name)s.") % {"name": source.name},
            visibility=Category.Visibility.SOURCES,
            position=500,
        )
    source_maintainers_watch(source=source, category=category)
    return category


def source_maintainers_watch(*, source, category: Category | None = None) -> None:
    category = category or Category.objects.filter(source=source).first()
    if category is None:
        return
    for maintainer in source.maintainers.all():
        Subscription.objects.get_or_create(
            user=maintainer, category=category, defaults={"frequency": Subscription.Frequency.IMMEDIATE}
        )


# --- Topics and posts ------------------------------------------------------------------------------


def _refresh_topic(topic: Topic) -> None:
    published = topic.posts.filter(status=Post.Status.PUBLISHED)
    summary = published.aggregate(n=Count("pk"), last=Max("created_at"))
    last = published.order_by("-created_at", "-pk").first()
    topic.reply_count = max((summary["n"] or 0) - 1, 0)
    topic.last_post_at = summary["last"] or topic.created_at
    topic.last_post_author_id = last.author_id if last else topic.author_id
    topic.save(update_fields=["reply_count", "last_post_at", "last_post_author"])


def _store_attachments(post: Post, attachments) -> None:
    for upload in attachments or ():
        Attachment.objects.create(
            post=post,
            file=upload,
            original_name=upload.name[:200],
            content_type=getattr(upload, "checked_content_type", upload.content_type),
            size=upload.size,
        )


@transaction.atomic
@transaction.atomic
def topic_create(
    *, category: Category, author, title: str, body: str, attachments=(), submission_token: str = ""
) -> Topic:
    """A topic with its first post. `submission_token` (from `SubmitOnceFormMixin`) is accepted once: the
    same form sent twice raises `Conflict` and stores nothing the second time."""
    submission_claim(token=submission_token)
    topic = Topic.objects.create(
        category=category, author=author, title=title.strip(), last_post_author=author
    )
    post_create(topic=topic, author=author, body=body, attachments=attachments, is_first=True)
    Subscription.objects.get_or_create(user=author, topic=topic)
    return topic


@transaction.atomic
def post_create(
    *, topic: Topic, author, body: str, attachments=(), is_first: bool = False, submission_token: str = ""
) -> Post:
    """A post in a topic, held for review when the author is new. `submission_token` as in `topic_create`."""
    submission_claim(token=submission_token)
    forum_profile_ensure(user=author)
    status = Post.Status.HELD if needs_review(user=author) else Post.Status.PUBLISHED
    post = Post.objects.create(
        topic=topic,
        author=author,
        body=body,
        body_html=markdown_to_html(body),
        status=status,
        is_first=is_first,
    )
    _store_attachments(post, attachments)
    _refresh_topic(topic)
    if status == Post.Status.PUBLISHED:
        topic_mark_read(user=author, topic=topic, post_id=post.pk)
        transaction.on_commit(lambda: _queue_notifications(post))
    else:
        transaction.on_commit(lambda: _tell_moderators(post))
    return post


def _tell_moderators(post: Post) -> None:
    """A post waits for a decision (first post of a newcomer, or hidden by flags): tell the team."""
    send_templated_mail(
        to=team_email(),
        template="community/email/moderation_needed",
        context={
            "post": post,
            "held": post.status == Post.Status.HELD,
            "queue_url": absolute(reverse("community:moderation")),
        },
        language=settings.LANGUAGE_CODE,
    )


@transaction.atomic
def post_edit(*, post: Post, by, body: str) -> Post:
    if body == post.body:
        return post
    PostRevision.objects.create(post=post, body=post.body, edited_by=by)
    post.body = body
    post.body_html = markdown_to_html(body)
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at"])
    return post


@transaction.atomic
def post_remove(*, post: Post, by) -> None:
    post.status = Post.Status.REMOVED
    post.moderated_by, post.moderated_at = by, timezone.now()
    post.save(update_fields=["status", "moderated_by", "moderated_at"])
    topic = post.topic
    if topic.solution_id == post.pk:
        topic.solution = None
        topic.save(update_fields=["solution"])
    _refresh_topic(topic)


@transaction.atomic
def post_flag(*, post: Post, by, reason: str = "") -> bool:
    """Record a flag. Returns True when the post was hidden by this flag (the third open one)."""
    try:
        with transaction.atomic():
            Flag.objects.create(post=post, by=by, reason=reason[:300])
    except IntegrityError:
        return False
    open_flags = post.flags.filter(resolved_at__isnull=True).count()
    if open_flags >= FLAGS_TO_HIDE and post.status == Post.Status.PUBLISHED:
        post.status = Post.Status.HIDDEN
        post.save(update_fields=["status"])
        _refresh_topic(post.topic)
        transaction.on_commit(lambda: _tell_moderators(post))
        return True
    return False


@transaction.atomic
def post_moderate(*, post: Post, by, approve: bool) -> Post:
    """A moderator's decision on a held or hidden post: publish it (flags resolved) or remove it."""
    was_held = post.status == Post.Status.HELD
    post.flags.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    post.moderated_by, post.moderated_at = by, timezone.now()
    if approve:
        post.status = Post.Status.PUBLISHED
        post.save(update_fields=["status", "moderated_by", "moderated_at"])
        _refresh_topic(post.topic)
        if was_held:
            transaction.on_commit(lambda: _queue_notifications(post))
    else:
        post_remove(post=post, by=by)
    return post


def topic_update(*, topic: Topic, by, **changes) -> Topic:
    """Pin, lock or move a topic (moderators)."""
    allowed = {"is_pinned", "is_locked", "category", "title"}
    for field, value in changes.items():
        if field not in allowed:
            raise TypeError(f"topic_update() cannot change {field!r}")
        setattr(topic, field, value)
    topic.save()
    return topic


def topic_mark_solution(*, topic: Topic, post: Post | None, by) -> Topic:
    if post is not None and (post.topic_id != topic.pk or post.status != Post.Status.PUBLISHED):
        raise Conflict(_("Seul un message publié de ce sujet peut en être la solution."))
    topic.solution = post
    topic.save(update_fields=["solution"])
    return topic


def topic_mark_read(*, user, topic: Topic, post_id: int) -> None:
    """Move the person's reading mark forward (never back)."""
    if not (user and user.is_authenticated):
        return
    updated = TopicRead.objects.filter(user=user, topic=topic, last_read_post_id__lt=post_id).update(
        last_read_post_id=post_id, updated_at=timezone.now()
    )
    if not updated:
        TopicRead.objects.get_or_create(user=user, topic=topic, defaults={"last_read_post_id": post_id})


def topic_to_faq_draft(*, topic: Topic, by):
    """Turn a solved topic into a draft FAQ entry in the kits app (question = title, answer = solution)."""
    from kits.services import faq_entry_create_draft

    if topic.solution is None:
        raise Conflict(_("Ce sujet n'a pas encore de solution."))
    if topic.faq_entry_url:
        raise Conflict(_("Ce sujet a déjà donné un brouillon de FAQ."))
    entry = faq_entry_create_draft(
        question=topic.title,
        answer_html=topic.solution.body_html,
        by=by,
        origin_url=absolute(topic.get_absolute_url()),
    )
    try:
        topic.faq_entry_url = reverse("wagtailsnippets_kits_faqentry:edit", args=[entry.pk])
    except NoReverseMatch:
        topic.faq_entry_url = str(entry.pk)
    topic.save(update_fields=["faq_entry_url"])
    return entry


# --- Watching and notifications --------------------------------------------------------------------


def subscription_set(
    *, user, frequency: str | None, category: Category | None = None, topic: Topic | None = None
):
    """Watch (with a frequency) or stop watching (frequency None) a category or a topic."""
    if frequency is None:
        Subscription.objects.filter(user=user, category=category, topic=topic).delete()
        return None
    subscription, _created = Subscription.objects.update_or_create(
        user=user, category=category, topic=topic, defaults={"frequency": frequency}
    )
    return subscription


def unsubscribe_token(*, user, subscription: Subscription | None = None, frequency: str = "") -> str:
    payload = {"u": user.pk}
    if subscription is not None:
        payload["s"] = subscription.pk
    else:
        payload["f"] = frequency
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(*, user, subscription: Subscription | None = None, frequency: str = "") -> str:
    token = unsubscribe_token(user=user, subscription=subscription, frequency=frequency)
    return absolute(reverse("community:unsubscribe", kwargs={"token": token}))


def unsubscribe_by_token(*, token: str) -> int:
    """Stop what the signed link names. Returns how many subscriptions were removed.
    Raises signing.BadSignature for a forged or altered link."""
    payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    subscriptions = Subscription.objects.filter(user_id=payload["u"])
    if "s" in payload:
        subscriptions = subscriptions.filter(pk=payload["s"])
    else:
        subscriptions = subscriptions.filter(frequency=payload.get("f") or "")
    PendingNotification.objects.filter(subscription__in=subscriptions, digest__isnull=True).delete()
    _total, per_model = subscriptions.delete()
    return per_model.get("community.Subscription", 0)


def _list_headers(url: str) -> dict:
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def mentioned_users(*, body_html: str):
    """The people a post mentions: the same handles that the topic page shows as mentions."""
    handles = handles_in_html(body_html)
    if not handles:
        return []
    return [
        profile.user for profile in selectors.forum_profiles_by_handle(handles=handles).select_related("user")
    ]


def _queue_notifications(post: Post) -> None:
    """Write to watchers and mentioned people in the task worker, not in the request."""
    from django_q.tasks import async_task

    async_task("community.tasks.notify_post", post.pk)


def notify_post_published(*, post: Post) -> dict:
    """Mentions and watchers of a newly published post: e-mail now, or queue for their digest.
    Returns how many people were written to and queued (for logs and tests)."""
    post = Post.objects.select_related("topic", "topic__category", "author").get(pk=post.pk)
    topic, category = post.topic, post.topic.category
    author_id = post.author_id
    written, queued = set(), 0
    connection = open_connection()
    context = {
        "post": post,
        "topic": topic,
        "category": category,
        "post_url": absolute(post.get_absolute_url()),
    }

    for user in mentioned_users(body_html=post.body_html):
        if user.pk == author_id or not user.is_active:
            continue
        if not selectors.can_view_category(user=user, category=category):
            continue
        _mention, created = Mention.objects.get_or_create(post=post, user=user)
        if created:
            send_templated_mail(
                to=user.email, template="community/email/mention", context=context, connection=connection
            )
            written.add(user.pk)

    watchers = (
        Subscription.objects.filter(Q(topic=topic) | Q(category=category))
        .exclude(user_id=author_id)
        .select_related("user")
        .order_by("user_id", "topic_id")  # a topic subscription wins over the category's
    )
    seen = set()
    for subscription in watchers:
        user = subscription.user
        if user.pk in seen or user.pk in written or not user.is_active:
            continue
        seen.add(user.pk)
        if not selectors.can_view_category(user=user, category=category):
            continue
        if subscription.frequency == Subscription.Frequency.IMMEDIATE:
            url = unsubscribe_url(user=user, subscription=subscription)
            send_templated_mail(
                to=user.email,
                template="community/email/new_post",
                context={**context, "unsubscribe_url": url, "subscription": subscription},
                headers=_list_headers(url),
                connection=connection,
            )
            written.add(user.pk)
        else:
            PendingNotification.objects.get_or_create(
                user=user,
                post=post,
                defaults={"subscription": subscription, "frequency": subscription.frequency},
            )
            queued += 1
    return {"written": len(written), "queued": queued}


def digests_send(*, frequency: str) -> int:
    """Send each person their digest of the posts queued for them at this frequency.
    Each queued post goes out once: it is claimed by the digest record before the e-mail leaves."""
    user_ids = (
        PendingNotification.objects.filter(frequency=frequency, digest__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    User = get_user_model()
    sent = 0
    connection = open_connection()
    for user in User.objects.filter(pk__in=list(user_ids), is_active=True):
        with transaction.atomic():
            digest = DigestSending.objects.create(user=user, frequency=frequency)
            claimed = PendingNotification.objects.filter(
                user=user, frequency=frequency, digest__isnull=True
            ).update(digest=digest)
            if not claimed:
                digest.delete()
                continue
            digest.post_count = claimed
            digest.save(update_fields=["post_count"])
        items = (
            PendingNotification.objects.filter(digest=digest)
            .select_related("post", "post__topic", "post__topic__category", "post__author")
            .order_by("post__topic_id", "post__created_at")
        )
        posts = [
            item.post
            for item in items
            if item.post.status == Post.Status.PUBLISHED
            and selectors.can_view_category(user=user, category=item.post.topic.category)
        ]
        if not posts:
            continue
        url = unsubscribe_url(user=user, frequency=frequency)
        send_templated_mail(
            to=user.email,
            template="community/email/digest",
            context={
                "posts": posts,
                "frequency": frequency,
                "unsubscribe_url": url,
                "forum_url": absolute(reverse("community:index")),
                "site_url": settings.SITE_URL,
            },
            headers=_list_headers(url),
            connection=connection,
        )
        sent += 1
    return sent
