"""Forum services: mentions, watching, immediate e-mails, digests sent once, unsubscribe, flags, reading."""

from django.core import mail, signing
from django.urls import reverse

import pytest

from community import services
from community.models import Category, DigestSending, PendingNotification, Post, Subscription, TopicRead
from community.selectors import topics_for_list
from community.tasks import send_daily_digests, send_weekly_digests
from tests.community.factories import CategoryFactory, make_topic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _reply(topic, author, body="Une réponse"):
    return services.post_create(topic=topic, author=author, body=body)


def test_handles_are_unique_and_mentions_notify_once(django_capture_on_commit_callbacks):
    alice = UserFactory(display_name="Alice Martin", roles=["ambassador"])
    homonym = UserFactory(display_name="Alice Martin", roles=["ambassador"])
    assert alice.forum_profile.handle == "alice-martin"
    assert homonym.forum_profile.handle == "alice-martin-2"
    topic = make_topic()
    author = UserFactory(roles=["ambassador"])
    with django_capture_on_commit_callbacks(execute=True):
        post = _reply(
            topic,
            author,
            "Merci @alice-martin et @ALICE-MARTIN, et @personne-inconnue, mail@alice-martin.org",
        )
    mentions = list(post.mentions.values_list("user__email", flat=True))
    assert mentions == [alice.email]
    to_alice = [m for m in mail.outbox if m.to == [alice.email]]
    assert len(to_alice) == 1 and "mentionné" in to_alice[0].subject


def test_mention_of_someone_who_cannot_see_the_category_is_not_sent(django_capture_on_commit_callbacks):
    outsider = UserFactory(display_name="Paul Dehors")
    topic = make_topic(category=CategoryFactory(visibility=Category.Visibility.STEERING))
    with django_capture_on_commit_callbacks(execute=True):
        _reply(topic, UserFactory(staff=True), "Et toi @paul-dehors ?")
    assert not [m for m in mail.outbox if outsider.email in m.to]


def test_watchers_get_immediate_mail_with_one_click_unsubscribe(client, django_capture_on_commit_callbacks):
    author = UserFactory(roles=["ambassador"])
    watcher = UserFactory(roles=["ambassador"])
    category = CategoryFactory()
    services.subscription_set(user=watcher, category=category, frequency=Subscription.Frequency.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        topic = services.topic_create(category=category, author=author, title="Atelier", body="**Venez** !")
    messages = [m for m in mail.outbox if m.to == [watcher.email]]
    assert len(messages) == 1
    message = messages[0]
    assert "Atelier" in message.subject and "**Venez** !" in message.body
    assert "<strong>Venez</strong>" in message.alternatives[0][0]
    header = message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = header.strip("<>")
    assert url in message.body
    path = url.removeprefix("http://testserver")
    # GET only asks for confirmation (mail scanners follow links); POST (one-click) unsubscribes.
    assert client.get(path).status_code == 200
    assert Subscription.objects.filter(user=watcher, category=category).exists()
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Subscription.objects.filter(user=watcher, category=category).exists()
    # The topic's author watches their own topic but is not written to about their own post.
    assert not [m for m in mail.outbox if m.to == [author.email]]
    assert Subscription.objects.filter(user=author, topic=topic).exists()


def test_forged_unsubscribe_link_is_refused(client):
    watcher = UserFactory()
    category = CategoryFactory()
    subscription = services.subscription_set(user=watcher, category=category, frequency="immediate")
    token = services.unsubscribe_token(user=watcher, subscription=subscription)
    forged = signing.dumps({"u": watcher.pk, "s": subscription.pk}, salt="autre-chose")
    assert client.post(reverse("community:unsubscribe", args=[forged])).status_code == 400
    assert client.post(reverse("community:unsubscribe", args=[token[:-2] + "xx"])).status_code == 400
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_daily_digest_contents_and_single_sending(django_capture_on_commit_callbacks):
    reader = UserFactory(roles=["ambassador"])
    category = CategoryFactory()
    hidden_category = CategoryFactory(visibility=Category.Visibility.STEERING)
    services.subscription_set(user=reader, category=category, frequency=Subscription.Frequency.DAILY)
    Subscription.objects.create(user=reader, category=hidden_category, frequency=Subscription.Frequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        first = make_topic(category=category, title="Compost partagé", replies=2)
        make_topic(category=hidden_category, title="Budget secret")
    assert not [m for m in mail.outbox if m.to == [reader.email]]  # nothing immediate
    assert PendingNotification.objects.filter(user=reader).count() == 3

    assert send_daily_digests() == 1
    digests = [m for m in mail.outbox if m.to == [reader.email]]
    assert len(digests) == 1
    body = digests[0].body
    assert body.count("Compost partagé") == 3 and "Budget secret" not in body
    assert "List-Unsubscribe" in digests[0].extra_headers
    sending = DigestSending.objects.get(user=reader)
    assert sending.post_count == 3 and sending.frequency == "daily"

    assert send_daily_digests() == 0  # already sent: nothing goes twice
    assert send_weekly_digests() == 0
    assert len([m for m in mail.outbox if m.to == [reader.email]]) == 1

    with django_capture_on_commit_callbacks(execute=True):
        _reply(first, UserFactory(roles=["ambassador"]), "Encore une")
    assert send_daily_digests() == 1
    assert "Encore une" in mail.outbox[-1].body and "Réponse 0" not in mail.outbox[-1].body


def test_digest_unsubscribe_stops_every_subscription_of_that_frequency(client):
    reader = UserFactory()
    for _n in range(2):
        services.subscription_set(user=reader, category=CategoryFactory(), frequency="weekly")
    services.subscription_set(user=reader, category=CategoryFactory(), frequency="immediate")
    url = services.unsubscribe_url(user=reader, frequency="weekly").removeprefix("http://testserver")
    client.post(url)
    assert list(Subscription.objects.filter(user=reader).values_list("frequency", flat=True)) == ["immediate"]


def test_moderators_are_told_about_held_and_hidden_posts(django_capture_on_commit_callbacks):
    topic = make_topic(replies=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(topic=topic, author=UserFactory(), body="Bonjour, je débarque")
    told = [m for m in mail.outbox if m.to == [services.team_email()]]
    assert (
        len(told) == 1
        and "Bonjour, je débarque" in told[0].body
        and "/communaute/moderation/" in told[0].body
    )
    reply = topic.posts.filter(status=Post.Status.PUBLISHED, is_first=False).get()
    with django_capture_on_commit_callbacks(execute=True):
        for _n in range(3):
            services.post_flag(post=reply, by=UserFactory())
    told = [m for m in mail.outbox if m.to == [services.team_email()]]
    assert len(told) == 2 and "trois signalements" in told[1].body


def test_three_flags_hide_until_moderator_decides():
    topic = make_topic(replies=1)
    post = topic.posts.get(is_first=False)
    flaggers = [UserFactory() for _n in range(3)]
    assert services.post_flag(post=post, by=flaggers[0]) is False
    assert (
        services.post_flag(post=post, by=flaggers[0]) is False
    )  # a second flag by the same person counts once
    assert services.post_flag(post=post, by=flaggers[1]) is False
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert services.post_flag(post=post, by=flaggers[2]) is True
    post.refresh_from_db()
    topic.refresh_from_db()
    assert post.status == Post.Status.HIDDEN and topic.reply_count == 0
    moderator = UserFactory(staff=True)
    services.post_moderate(post=post, by=moderator, approve=True)
    post.refresh_from_db()
    topic.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED and topic.reply_count == 1
    assert not post.flags.filter(resolved_at__isnull=True).exists()
    # Resolved flags do not count again: three new flags are needed.
    services.post_flag(post=post, by=UserFactory())
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED


def test_hidden_post_is_not_shown_to_others(client):
    topic = make_topic(replies=1)
    post = topic.posts.get(is_first=False)
    post.body_html = "<p>Texte signalé</p>"
    post.save()
    for _n in range(3):
        services.post_flag(post=post, by=UserFactory())
    assert "Texte signalé" not in client.get(topic.get_absolute_url()).content.decode()
    client.force_login(post.author)
    assert "Texte signalé" in client.get(topic.get_absolute_url()).content.decode()


def test_read_tracking_one_row_per_person_and_topic():
    reader = UserFactory()
    category = CategoryFactory()
    topic = make_topic(category=category, replies=3)
    posts = list(topic.posts.order_by("pk"))
    annotated = {t.pk: t.unread for t in topics_for_list(user=reader, category=category)}
    assert annotated[topic.pk] == 4
    services.topic_mark_read(user=reader, topic=topic, post_id=posts[1].pk)
    services.topic_mark_read(user=reader, topic=topic, post_id=posts[0].pk)  # never goes back
    assert TopicRead.objects.filter(user=reader, topic=topic).count() == 1
    annotated = {t.pk: t.unread for t in topics_for_list(user=reader, category=category)}
    assert annotated[topic.pk] == 2
    _reply(topic, UserFactory(roles=["ambassador"]))
    annotated = {t.pk: t.unread for t in topics_for_list(user=reader, category=category)}
    assert annotated[topic.pk] == 3


def test_source_gets_its_category_watched_by_maintainers():
    from sources.models import Source

    maintainer = UserFactory(roles=["source_maintainer"])
    source = Source.objects.create(name="Réseau Compost", slug="compost", source_key="compost")
    source.maintainers.add(maintainer)
    category = Category.objects.get(source=source)
    assert category.visibility == Category.Visibility.SOURCES and category.name == "Réseau Compost"
    assert Subscription.objects.filter(user=maintainer, category=category, frequency="immediate").exists()


def test_personal_data_lists_posts_and_subscriptions():
    from community.selectors import personal_data

    author = UserFactory(roles=["ambassador"])
    make_topic(author=author, title="Mon sujet", body="Mon texte")
    data = personal_data(user=author)
    assert data["forum_posts"][0]["body"] == "Mon texte"
    assert data["forum_subscriptions"][0]["topic"] == "Mon sujet"
    import json

    json.dumps(data)


def test_home_section_lists_public_topics_only_and_key_figures():
    from community.selectors import home_section, key_figures

    make_topic(title="Sujet ouvert à tous")
    make_topic(title="Sujet des membres", category=CategoryFactory(visibility=Category.Visibility.MEMBERS))
    section = home_section(request=None)
    titles = [item["title"] for item in section["items"]]
    assert titles == ["Sujet ouvert à tous"]
    assert section["items"][0]["url"].startswith("/communaute/sujet/")
    figures = {figure["label"]: figure["value"] for figure in key_figures()}
    assert figures["sujets de discussion"] == 2
