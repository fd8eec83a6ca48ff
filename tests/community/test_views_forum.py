"""Forum pages: visibility by role × category × action, posting, moderation tools, query counts."""

import re

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from community import services
from community.models import Category, Post, Topic
from tests.community.factories import CategoryFactory, make_topic
from tests.core.upload_samples import png_bytes
from tests.factories import UserFactory
from tests.sources.factories import SourceFactory

pytestmark = pytest.mark.django_db

PERSONS = {
    "anonymous": None,
    "member": [],
    "maintainer": ["source_maintainer"],
    "steering": ["steering_committee"],
    "staff": "staff",
}
# visibility -> persons who see it (and so may write in it, except anonymous)
SEES = {
    "public": {"anonymous", "member", "maintainer", "steering", "staff"},
    "members": {"member", "maintainer", "steering", "staff"},
    "sources": {"maintainer", "staff"},
    "steering": {"steering", "staff"},
}


def _person(kind):
    if kind == "anonymous":
        return None
    if kind == "staff":
        return UserFactory(staff=True)
    return UserFactory(roles=PERSONS[kind])


@pytest.mark.parametrize("visibility", list(SEES))
@pytest.mark.parametrize("person", list(PERSONS))
def test_visibility_matrix(client, visibility, person):
    category = CategoryFactory(visibility=visibility)
    topic = make_topic(category=category, title="Sujet de la matrice")
    user = _person(person)
    if user:
        client.force_login(user)
    sees = person in SEES[visibility]

    index = client.get(reverse("community:index"))
    assert (category.name in index.content.decode()) is sees
    assert client.get(category.get_absolute_url()).status_code == (200 if sees else 404)
    assert client.get(topic.get_absolute_url()).status_code == (200 if sees else 404)
    search = client.get(reverse("community:search"), {"q": "matrice"})
    assert ("Sujet de la matrice" in search.content.decode()) is sees

    create_url = reverse("community:topic_create", args=[category.slug])
    response = client.post(create_url, {"title": "Nouveau", "body": "Texte"})
    reply = client.post(reverse("community:reply", args=[topic.pk]), {"body": "Ma réponse"})
    if user is None:
        assert response.status_code == 302 and "/comptes/" in response["Location"]
        assert reply.status_code == 302 and "/comptes/" in reply["Location"]
    elif sees:
        assert response.status_code == 302
        assert reply.status_code == 302
        assert Topic.objects.filter(title="Nouveau", category=category).exists()
        assert Post.objects.filter(topic=topic, body="Ma réponse").exists()
    else:
        assert response.status_code == 404
        assert reply.status_code == 404
        assert not Topic.objects.filter(title="Nouveau").exists()


def test_locked_topic_refuses_replies_but_not_moderators(client, member, moderator):
    topic = make_topic()
    topic.is_locked = True
    topic.save()
    client.force_login(member)
    assert client.post(reverse("community:reply", args=[topic.pk]), {"body": "x"}).status_code == 403
    client.force_login(moderator)
    assert client.post(reverse("community:reply", args=[topic.pk]), {"body": "x"}).status_code == 302


def test_markdown_is_rendered_and_script_is_not(client, member):
    category = CategoryFactory()
    client.force_login(member)
    client.post(
        reverse("community:topic_create", args=[category.slug]),
        {"title": "Bonjour", "body": "**gras** <script>alert(1)</script> [x](javascript:alert(1))"},
    )
    topic = Topic.objects.get(title="Bonjour")
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "<strong>gras</strong>" in html
    assert "<script>alert(1)" not in html
    assert 'href="javascript:' not in html


def test_honeypot_blocks_robot(client, member):
    category = CategoryFactory()
    client.force_login(member)
    response = client.post(
        reverse("community:topic_create", args=[category.slug]),
        {"title": "Spam", "body": "Achetez", "site_web_entreprise": "http://spam.example"},
    )
    assert response.status_code == 200
    assert not Topic.objects.filter(title="Spam").exists()


def test_posting_is_rate_limited(client, member):
    category = CategoryFactory()
    client.force_login(member)
    url = reverse("community:topic_create", args=[category.slug])
    codes = [client.post(url, {"title": f"Sujet {n}", "body": "x"}).status_code for n in range(11)]
    assert codes[:10] == [302] * 10
    assert codes[10] in (403, 429)  # refused (429 where the rate-limit middleware is installed)
    assert Topic.objects.filter(category=category).count() == 10


def test_first_post_of_new_member_is_held_until_approved(client, moderator):
    newcomer = UserFactory()
    category = CategoryFactory()
    client.force_login(newcomer)
    client.post(
        reverse("community:topic_create", args=[category.slug]), {"title": "Premier", "body": "Salut"}
    )
    post = Post.objects.get(topic__title="Premier")
    assert post.status == Post.Status.HELD
    client.logout()
    assert "Salut" not in client.get(post.topic.get_absolute_url()).content.decode()
    client.force_login(moderator)
    queue = client.get(reverse("community:moderation")).content.decode()
    assert "Premier" in queue
    client.post(reverse("community:moderation_decide", args=[post.pk]), {"decision": "approve"})
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    client.logout()
    assert "Salut" in client.get(post.topic.get_absolute_url()).content.decode()


def test_quote_prefills_reply(client, member):
    topic = make_topic(body="Ligne une\nLigne deux")
    first = topic.posts.get()
    client.force_login(member)
    html = client.get(topic.get_absolute_url(), {"citer": first.pk}).content.decode()
    assert "&gt; Ligne une\n&gt; Ligne deux" in html


def test_edit_keeps_history(client, member):
    topic = make_topic(author=member, body="Version 1")
    post = topic.posts.get()
    client.force_login(member)
    client.post(reverse("community:post_edit", args=[post.pk]), {"body": "Version 2"})
    post.refresh_from_db()
    assert post.body == "Version 2" and post.edited_at
    history = client.get(reverse("community:post_history", args=[post.pk])).content.decode()
    assert "Version 1" in history and "Version 2" in history


def test_someone_else_cannot_edit(client, member):
    post = make_topic().posts.get()
    client.force_login(member)
    assert client.post(reverse("community:post_edit", args=[post.pk]), {"body": "pirate"}).status_code == 403


def test_solution_pin_lock_move(client, moderator, member):
    topic = make_topic(author=member, replies=1)
    answer = topic.posts.get(is_first=False)
    client.force_login(member)
    client.post(reverse("community:post_solution", args=[answer.pk]))
    topic.refresh_from_db()
    assert topic.solution_id == answer.pk
    assert (
        client.post(reverse("community:topic_moderate", args=[topic.pk]), {"action": "pin"}).status_code
        == 403
    )
    client.force_login(moderator)
    other = CategoryFactory()
    client.post(reverse("community:topic_moderate", args=[topic.pk]), {"action": "pin"})
    client.post(reverse("community:topic_moderate", args=[topic.pk]), {"action": "lock"})
    client.post(
        reverse("community:topic_moderate", args=[topic.pk]), {"action": "move", "category": other.pk}
    )
    topic.refresh_from_db()
    assert topic.is_pinned and topic.is_locked and topic.category == other


PNG = png_bytes()  # a real image: attachments are opened (header only) to count their pixels
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def test_attachments_checked_by_bytes_and_served_with_permission(client, member, settings):
    category = CategoryFactory(visibility=Category.Visibility.MEMBERS)
    client.force_login(member)
    url = reverse("community:topic_create", args=[category.slug])
    fake = SimpleUploadedFile(
        "photo.png", b"<html><script>alert(1)</script></html>", content_type="image/png"
    )
    response = client.post(url, {"title": "Faux", "body": "x", "attachments": [fake]})
    assert response.status_code == 200 and "n&#x27;est ni une image" in response.content.decode()
    big = SimpleUploadedFile("gros.pdf", PDF + b"0" * (6 * 1024 * 1024), content_type="application/pdf")
    response = client.post(url, {"title": "Gros", "body": "x", "attachments": [big]})
    assert "dépasse la taille" in response.content.decode()
    good = [
        SimpleUploadedFile("plan.png", PNG, content_type="application/octet-stream"),
        SimpleUploadedFile("compte-rendu.pdf", PDF, content_type="application/pdf"),
    ]
    assert client.post(url, {"title": "Avec pièces", "body": "x", "attachments": good}).status_code == 302
    post = Post.objects.get(topic__title="Avec pièces")
    image, pdf = sorted(post.attachments.all(), key=lambda a: a.original_name, reverse=True)
    assert image.content_type == "image/png" and pdf.content_type == "application/pdf"
    served = client.get(reverse("community:attachment", args=[image.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    client.logout()
    assert client.get(reverse("community:attachment", args=[image.pk])).status_code == 404


def test_rss_for_public_category_only(client):
    public = CategoryFactory()
    make_topic(category=public, title="Sujet public")
    private = CategoryFactory(visibility=Category.Visibility.MEMBERS)
    response = client.get(reverse("community:category_feed", args=[public.slug]))
    assert response.status_code == 200 and b"Sujet public" in response.content
    assert client.get(reverse("community:category_feed", args=[private.slug])).status_code == 404


def test_rss_feed_queries_do_not_grow_with_its_topics(client, django_assert_max_num_queries):
    category = CategoryFactory()
    make_topic(category=category, title="Premier sujet", body="Le tout premier message")
    url = reverse("community:category_feed", args=[category.slug])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(12):
        make_topic(category=category, title=f"Sujet {n}", body=f"Corps du sujet {n}")
    with django_assert_max_num_queries(len(one)):
        response = client.get(url)
    assert b"Corps du sujet 11" in response.content and b"Le tout premier message" in response.content


def test_unread_counts_on_lists(client, member):
    category = CategoryFactory()
    topic = make_topic(category=category, replies=2)
    client.force_login(member)
    html = client.get(category.get_absolute_url()).content.decode()
    assert "3 non lus" in html
    client.get(topic.get_absolute_url())
    html = client.get(category.get_absolute_url()).content.decode()
    assert "non lu" not in html


def _queries(client, url, **params) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params)  # warm up: the first request fills per-process caches (site, settings)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context.captured_queries)


# The page frame (menus, site settings, session) costs a fixed number of queries; what matters is that the
# count does not grow with the number of categories, topics or posts, and stays under a small ceiling.
MAX_QUERIES = 25


def test_category_list_query_count(client, member):
    make_topic(category=CategoryFactory(), replies=1)
    client.force_login(member)
    few = _queries(client, reverse("community:index"))
    for _n in range(15):
        make_topic(category=CategoryFactory(), replies=1)
    many = _queries(client, reverse("community:index"))
    assert many == few <= MAX_QUERIES


def test_topic_list_query_count(client, member):
    category = CategoryFactory()
    make_topic(category=category, title="Sujet premier", replies=1)
    client.force_login(member)
    few = _queries(client, category.get_absolute_url())
    for n in range(30):
        make_topic(category=category, title=f"Sujet {n}", replies=1)
    many = _queries(client, category.get_absolute_url())
    assert many == few <= MAX_QUERIES
    assert "Sujet 29" in client.get(category.get_absolute_url()).content.decode()


def test_topic_page_query_count_does_not_grow_with_posts(client, member):
    topic = make_topic(replies=2)
    client.force_login(member)
    few = _queries(client, topic.get_absolute_url())
    for n in range(43):
        services.post_create(topic=topic, author=member, body=f"Suite {n}")
    many = _queries(client, topic.get_absolute_url())
    last_page = _queries(client, topic.get_absolute_url(), page=3)
    assert many == few <= MAX_QUERIES
    assert last_page <= MAX_QUERIES
    assert "Suite 42" in client.get(topic.get_absolute_url(), {"page": 3}).content.decode()


def test_forum_in_english(client, settings):
    from django.core.management import call_command

    call_command("compile_locales", verbosity=0)
    html = client.get("/en/communaute/").content.decode()
    assert "Community forum" in html and "Forum de la communauté" not in html


def test_solved_topic_becomes_a_draft_faq_entry_in_one_click(client, moderator, member, settings):
    from kits.models import FaqEntry

    settings.SITE_URL = "https://portail.transiscope.org"  # the FAQ keeps a real address of its origin
    topic = make_topic(author=member, title="Comment ajouter ma source ?", replies=1)
    answer = topic.posts.get(is_first=False)
    url = reverse("community:topic_to_faq", args=[topic.pk])
    client.force_login(moderator)
    assert client.post(url).status_code == 404  # not solved yet
    services.topic_mark_solution(topic=topic, post=answer, by=member)
    assert "Transformer en brouillon de FAQ" in client.get(topic.get_absolute_url()).content.decode()
    client.force_login(member)
    assert client.post(url).status_code == 403
    client.force_login(moderator)
    assert client.post(url).status_code == 302
    entry = FaqEntry.objects.get()
    assert entry.question == "Comment ajouter ma source ?" and not entry.live
    assert "Réponse 0" in entry.answer and entry.origin_url.endswith(topic.get_absolute_url())
    topic.refresh_from_db()
    assert topic.faq_entry_url.endswith(f"/{entry.pk}/")
    assert client.post(url).status_code == 404  # only once
    assert FaqEntry.objects.count() == 1


def test_a_removed_post_cannot_become_the_solution_and_says_why(client, moderator):
    topic = make_topic(replies=1)
    answer = topic.posts.get(is_first=False)
    services.post_remove(post=answer, by=moderator)
    client.force_login(moderator)
    topic_url = "http://testserver" + topic.get_absolute_url()
    response = client.post(reverse("community:post_solution", args=[answer.pk]), HTTP_REFERER=topic_url)
    assert response.status_code == 302 and response["Location"] == topic_url
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Seul un message publié de ce sujet peut en être la solution."
    ]
    topic.refresh_from_db()
    assert topic.solution_id is None


def test_a_source_category_is_open_to_that_source_maintainers_and_the_team_only(client, moderator):
    """Issue 14: access follows Source.maintainers (+ team), not the maintainer role."""
    own = UserFactory()  # maintains the source, without the role
    other = UserFactory(roles=["source_maintainer"])  # maintains another source
    source = SourceFactory(maintainers=[own])
    SourceFactory(maintainers=[other])
    category = Category.objects.get(source=source)
    topic = make_topic(category=category, author=own, title="Notre flux change de format")
    for person, expected in [(own, 200), (moderator, 200), (other, 404), (UserFactory(), 404)]:
        client.force_login(person)
        assert client.get(category.get_absolute_url()).status_code == expected, person
        assert client.get(topic.get_absolute_url()).status_code == expected, person
        listed = category.name in client.get(reverse("community:index")).content.decode()
        searched = client.get(reverse("community:search"), {"q": "flux change"}).content.decode()
        assert listed == ("Notre flux change de format" in searched) == (expected == 200), person


def test_a_topic_sent_twice_is_stored_once(client, member):
    """Issue 22: a double click or a resent page does not open the same topic twice."""
    category = CategoryFactory()
    client.force_login(member)
    url = reverse("community:topic_create", args=[category.slug])
    token = _token_of(client.get(url))
    data = {"title": "Un sujet envoyé deux fois", "body": "Bonjour", "jeton_envoi": token}
    assert client.post(url, data).status_code == 302
    second = client.post(url, data, follow=True)
    assert "Ce formulaire a déjà été envoyé" in second.content.decode()
    assert Topic.objects.filter(title="Un sujet envoyé deux fois").count() == 1
    assert Post.objects.filter(topic__title="Un sujet envoyé deux fois").count() == 1


def test_a_reply_sent_twice_is_stored_once(client, member):
    topic = make_topic()
    client.force_login(member)
    token = _token_of(client.get(topic.get_absolute_url()))
    url = reverse("community:reply", args=[topic.pk])
    data = {"body": "Une réponse envoyée deux fois", "jeton_envoi": token}
    assert client.post(url, data).status_code == 302
    second = client.post(url, data, follow=True)
    assert "Ce formulaire a déjà été envoyé" in second.content.decode()
    assert topic.posts.filter(body="Une réponse envoyée deux fois").count() == 1
    other = _token_of(client.get(topic.get_absolute_url()))
    assert other != token  # a fresh form gets a fresh token: a second, deliberate reply is stored
    client.post(url, {"body": "Une réponse envoyée deux fois", "jeton_envoi": other})
    assert topic.posts.filter(body="Une réponse envoyée deux fois").count() == 2


def _token_of(response) -> str:
    match = re.search(r'name="jeton_envoi" value="([^"]+)"', response.content.decode())
    assert match, "the form carries no submission token"
    return match.group(1)


def test_published_posts_offer_quote_solution_and_flag(client, member):
    topic = make_topic(author=member, replies=1)
    client.force_login(member)
    html = client.get(topic.get_absolute_url()).content.decode()
    answer = topic.posts.get(is_first=False)
    assert f"?citer={answer.pk}" in html
    assert reverse("community:post_solution", args=[answer.pk]) in html
    assert reverse("community:post_flag", args=[answer.pk]) in html
