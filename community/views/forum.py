"""Pages of the forum: categories, topics, posting, moderation, watching, attachments, feeds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core import signing
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from django_ratelimit.decorators import ratelimit

from accounts import permissions
from core.errors import Conflict
from core.sanitize import html_to_text

from .. import selectors, services
from ..forms import (
    EditPostForm,
    FlagForm,
    MoveTopicForm,
    PostForm,
    SearchForm,
    SubscriptionForm,
    TopicForm,
)
from ..mentions import link_mentions
from ..models import (
    Attachment,
    Category,
    Post,
    Topic,
    WorkingGroup,
)
from .access import staff_required

POST_RATE = "20/h"


def _category_or_404(request, slug) -> Category:
    category = get_object_or_404(Category.objects.select_related("source"), slug=slug)
    if not selectors.can_view_category(user=request.user, category=category):
        raise Http404
    return category


def _topic_or_404(request, pk) -> Topic:
    topic = get_object_or_404(Topic.objects.select_related("category", "author", "solution"), pk=pk)
    if not selectors.can_view_category(user=request.user, category=topic.category):
        raise Http404
    return topic


def _post_or_404(request, pk) -> Post:
    post = get_object_or_404(Post.objects.select_related("topic", "topic__category", "author"), pk=pk)
    if not selectors.can_view_category(user=request.user, category=post.topic.category):
        raise Http404
    if not selectors.can_see_post(user=request.user, post=post):
        raise Http404
    return post


def index(request):
    return render(
        request,
        "community/index.html",
        {
            "categories": selectors.categories_with_counts(user=request.user),
            "search_form": SearchForm(),
            "is_moderator": permissions.can_moderate(request.user),
            "groups": WorkingGroup.objects.all(),
        },
    )


def category(request, slug):
    category = _category_or_404(request, slug)
    page = Paginator(
        selectors.topics_for_list(user=request.user, category=category), selectors.TOPICS_PER_PAGE
    )
    subscription = selectors.subscription_for(user=request.user, category=category)
    return render(
        request,
        "community/category.html",
        {
            "category": category,
            "page_obj": page.get_page(request.GET.get("page")),
            "can_start_topic": selectors.can_start_topic(user=request.user, category=category),
            "subscription_form": SubscriptionForm(
                initial={"frequency": subscription.frequency if subscription else ""}
            ),
            "subscription": subscription,
        },
    )


def search(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page_obj = None
    if query:
        page_obj = Paginator(
            selectors.topics_for_list(user=request.user, search=query), selectors.TOPICS_PER_PAGE
        ).get_page(request.GET.get("page"))
    return render(request, "community/search.html", {"form": form, "query": query, "page_obj": page_obj})


@login_required
@ratelimit(key="user", rate="10/h", method="POST", block=True)
def topic_create(request, slug):
    category = _category_or_404(request, slug)
    if not selectors.can_start_topic(user=request.user, category=category):
        raise Http404
    form = TopicForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.topic_create(
                category=category,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
                submission_token=form.submission_token,
            )
        except Conflict as already:  # the same form sent twice (double click, resent page)
            messages.info(request, already.message)
            return redirect(category)
        first = topic.posts.first()
        if first.status == Post.Status.HELD:
            messages.info(
                request, _("Merci ! Votre premier message sera publié après une relecture par l'équipe.")
            )
        return redirect(topic)
    return render(request, "community/topic_form.html", {"category": category, "form": form})


def topic(request, pk):
    topic = _topic_or_404(request, pk)
    posts = Paginator(selectors.posts_for_topic(user=request.user, topic=topic), selectors.POSTS_PER_PAGE)
    page_obj = posts.get_page(request.GET.get("page"))
    last_read = selectors.last_read_post_id(user=request.user, topic=topic)
    posts_on_page = list(page_obj.object_list)
    link_mentions(posts=posts_on_page)
    if posts_on_page:
        services.topic_mark_read(user=request.user, topic=topic, post_id=max(p.pk for p in posts_on_page))
    reply_form = None
    if selectors.can_reply(user=request.user, topic=topic):
        initial = {}
        quote = request.GET.get("citer")
        if quote and quote.isdigit():
            quoted = (
                topic.posts.filter(pk=int(quote), status=Post.Status.PUBLISHED)
                .select_related("author")
                .first()
            )
            if quoted:
                initial["body"] = _quote(quoted)
        reply_form = PostForm(initial=initial)
    subscription = selectors.subscription_for(user=request.user, topic=topic)
    moderator = permissions.can_moderate(request.user)
    return render(
        request,
        "community/topic.html",
        {
            "topic": topic,
            "category": topic.category,
            "page_obj": page_obj,
            "posts": posts_on_page,
            "last_read": last_read,
            "reply_form": reply_form,
            "is_moderator": moderator,
            "can_mark_solution": selectors.can_mark_solution(user=request.user, topic=topic),
            "move_form": MoveTopicForm(initial={"category": topic.category_id}) if moderator else None,
            "subscription_form": SubscriptionForm(
                initial={"frequency": subscription.frequency if subscription else ""}
            ),
            "subscription": subscription,
            "faq_available": topic.solution_id and moderator,
        },
    )


def _quote(post: Post) -> str:
    handle = getattr(getattr(post.author, "forum_profile", None), "handle", None)
    who = f"@{handle}" if handle else _("compte supprimé")
    lines = "\n".join(f"> {line}" for line in post.body.splitlines())
    return _("%(who)s a écrit :") % {"who": who} + f"\n{lines}\n\n"


@login_required
@require_POST
@ratelimit(key="user", rate=POST_RATE, method="POST", block=True)
def reply(request, pk):
    topic = _topic_or_404(request, pk)
    if not selectors.can_reply(user=request.user, topic=topic):
        return HttpResponseForbidden(_("Ce sujet est verrouillé."))
    form = PostForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            post = services.post_create(
                topic=topic,
                author=request.user,
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
                submission_token=form.submission_token,
            )
        except Conflict as already:  # the same reply sent twice
            messages.info(request, already.message)
            return redirect(topic)
        if post.status == Post.Status.HELD:
            messages.info(
                request, _("Merci ! Votre premier message sera publié après une relecture par l'équipe.")
            )
        return redirect(post)
    return render(request, "community/reply_form.html", {"topic": topic, "form": form}, status=400)


def post_redirect(request, pk):
    post = _post_or_404(request, pk)
    earlier = selectors.posts_for_topic(user=request.user, topic=post.topic).filter(pk__lt=post.pk).count()
    page = earlier // selectors.POSTS_PER_PAGE + 1
    url = post.topic.get_absolute_url() + (f"?page={page}" if page > 1 else "")
    return redirect(f"{url}#message-{post.pk}")


@login_required
def post_edit(request, pk):
    post = _post_or_404(request, pk)
    if not selectors.can_edit_post(user=request.user, post=post):
        return HttpResponseForbidden(_("Vous ne pouvez pas modifier ce message."))
    form = EditPostForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        services.post_edit(post=post, by=request.user, body=form.cleaned_data["body"])
        return redirect(post)
    return render(request, "community/post_edit.html", {"post": post, "form": form})


def post_history(request, pk):
    post = _post_or_404(request, pk)
    return render(
        request,
        "community/post_history.html",
        {"post": post, "revisions": post.revisions.select_related("edited_by")},
    )


@login_required
@require_POST
@ratelimit(key="user", rate="30/h", method="POST", block=True)
def post_flag(request, pk):
    post = _post_or_404(request, pk)
    form = FlagForm(request.POST)
    if form.is_valid() and post.author_id != request.user.pk:
        services.post_flag(post=post, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Merci, l'équipe de modération a été prévenue."))
    return redirect(post.topic)


@login_required
@require_POST
def post_delete(request, pk):
    post = _post_or_404(request, pk)
    if not selectors.can_edit_post(user=request.user, post=post):
        return HttpResponseForbidden()
    services.post_remove(post=post, by=request.user)
    messages.success(request, _("Le message a été supprimé."))
    return redirect(post.topic)


@login_required
@require_POST
def post_solution(request, pk):
    post = _post_or_404(request, pk)
    topic = post.topic
    if not selectors.can_mark_solution(user=request.user, topic=topic):
        return HttpResponseForbidden()
    services.topic_mark_solution(
        topic=topic, post=None if topic.solution_id == post.pk else post, by=request.user
    )
    return redirect(post)


@staff_required
@require_POST
def topic_moderate(request, pk):
    topic = _topic_or_404(request, pk)
    action = request.POST.get("action")
    if action == "pin":
        services.topic_update(topic=topic, by=request.user, is_pinned=not topic.is_pinned)
    elif action == "lock":
        services.topic_update(topic=topic, by=request.user, is_locked=not topic.is_locked)
    elif action == "move":
        form = MoveTopicForm(request.POST)
        if form.is_valid():
            services.topic_update(topic=topic, by=request.user, category=form.cleaned_data["category"])
    return redirect(topic)


@staff_required
@require_POST
def topic_to_faq(request, pk):
    topic = _topic_or_404(request, pk)
    if not topic.solution_id or topic.faq_entry_url:
        raise Http404
    services.topic_to_faq_draft(topic=topic, by=request.user)
    messages.success(request, _("Un brouillon d'entrée de FAQ a été créé à partir de ce sujet."))
    return redirect(topic)


@login_required
@require_POST
def watch_category(request, slug):
    category = _category_or_404(request, slug)
    form = SubscriptionForm(request.POST)
    if form.is_valid():
        services.subscription_set(
            user=request.user, category=category, frequency=form.cleaned_data["frequency"] or None
        )
        messages.success(request, _("Vos préférences de suivi sont enregistrées."))
    return redirect(category)


@login_required
@require_POST
def watch_topic(request, pk):
    topic = _topic_or_404(request, pk)
    form = SubscriptionForm(request.POST)
    if form.is_valid():
        services.subscription_set(
            user=request.user, topic=topic, frequency=form.cleaned_data["frequency"] or None
        )
        messages.success(request, _("Vos préférences de suivi sont enregistrées."))
    return redirect(topic)


@csrf_exempt  # the signed token is the credential; mail clients POST here (RFC 8058 one-click)
def unsubscribe(request, token):
    try:
        signing.loads(token, salt=services.UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return render(request, "community/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        removed = services.unsubscribe_by_token(token=token)
        return render(request, "community/unsubscribe.html", {"done": True, "removed": removed})
    return render(request, "community/unsubscribe.html", {"token": token})


def attachment(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("post__topic__category"), pk=pk)
    _post_or_404(request, attachment.post_id)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@staff_required
def moderation_queue(request):
    posts = list(selectors.moderation_queue())
    link_mentions(posts=posts)
    return render(request, "community/moderation.html", {"posts": posts})


@staff_required
@require_POST
def moderation_decide(request, pk):
    post = get_object_or_404(Post, pk=pk)
    services.post_moderate(post=post, by=request.user, approve=request.POST.get("decision") == "approve")
    messages.success(request, _("Décision enregistrée."))
    return redirect("community:moderation")


class CategoryFeed(Feed):
    """The latest topics of a public category."""

    def get_object(self, request, slug):
        category = get_object_or_404(Category, slug=slug)
        if category.visibility != Category.Visibility.PUBLIC:
            raise Http404
        return category

    def title(self, obj):
        return _("Forum Transiscope : %(name)s") % {"name": obj.name}

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return obj.description

    def items(self, obj):
        return selectors.category_feed_topics(category=obj)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        first = item.published_first_posts[0] if item.published_first_posts else None
        return html_to_text(first.body_html)[:500] if first else ""

    def item_pubdate(self, item):
        return item.created_at
