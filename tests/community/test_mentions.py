"""@mentions shown in posts: a link to the directory page, a span for other members, text otherwise;
never in code or links, never in e-mail addresses, nothing a crafted handle could inject."""

from urllib.parse import urlsplit

from django.urls import reverse

import pytest

from community import services
from community.mentions import _sanitize, handles_in_html, link_mentions
from community.models import ForumProfile, Post
from core.sanitize import markdown_to_html
from tests.community.factories import AmbassadorProfileFactory, CategoryFactory, make_topic
from tests.community.test_sanitize import PAYLOADS, SAFE_SCHEMES, elements_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _shown(body, author=None):
    """The HTML the topic page shows for a post with this body."""
    post = services.post_create(
        topic=make_topic(), author=author or UserFactory(roles=["ambassador"]), body=body
    )
    link_mentions(posts=[post])
    return post.body_html_with_mentions


@pytest.fixture
def listed():
    """A member with a page in the ambassador directory."""
    return AmbassadorProfileFactory(user__display_name="Alice Martin")


@pytest.fixture
def unlisted():
    """A member with no directory page (not an ambassador)."""
    return UserFactory(display_name="Bruno Caché")


def test_member_in_directory_is_linked_to_their_page(listed):
    html = _shown("Merci @alice-martin !")
    url = reverse("community:ambassador", kwargs={"pk": listed.pk})
    assert (
        f'Merci <a class="mention" href="{url}" rel="noopener noreferrer nofollow ugc">@alice-martin</a> !'
        in html
    )


def test_what_was_typed_is_kept_and_the_handle_ends_before_punctuation(listed):
    html = _shown("@Alice-Martin, @alice-martin. (@alice-martin)")
    assert html.count('class="mention"') == 3
    assert ">@Alice-Martin</a>," in html and ">@alice-martin</a>." in html and ">@alice-martin</a>)" in html


def test_member_without_directory_page_gets_a_span(unlisted):
    assert 'Salut <span class="mention">@bruno-cache</span>' in _shown("Salut @bruno-cache")


def test_member_who_left_the_directory_gets_a_span(listed):
    listed.show_in_directory = False
    listed.save()
    html = _shown("Merci @alice-martin")
    assert '<span class="mention">@alice-martin</span>' in html and "<a " not in html


def test_deactivated_account_and_unknown_handle_stay_text(unlisted):
    unlisted.is_active = False
    unlisted.save()
    html = _shown("Salut @bruno-cache et @personne-inconnue")
    assert html == "<p>Salut @bruno-cache et @personne-inconnue</p>\n"


def test_code_links_and_addresses_are_left_alone(listed):
    body = (
        "`@alice-martin` en ligne\n\n"
        "```\n@alice-martin dans un bloc\n```\n\n"
        "    @alice-martin indenté\n\n"
        "[@alice-martin](https://exemple.org/) et <https://exemple.org/@alice-martin>\n\n"
        'écrire à alice@alice-martin.org, **jean**@alice-martin.org, [t](https://x.org "> @alice-martin")\n\n'
        "![@alice-martin](https://exemple.org/a.png) @alice-martin@mastodon.social"
    )
    html = _shown(body)
    assert "mention" not in html
    assert html == markdown_to_html(body)


def test_mentions_inside_formatting_lists_and_tables(listed, unlisted):
    html = _shown("**@alice-martin**\n\n- @bruno-cache\n\n| a | b |\n|---|---|\n| @alice-martin | x |")
    assert '<strong><a class="mention"' in html
    assert '<li><span class="mention">@bruno-cache</span></li>' in html
    assert '<td><a class="mention"' in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_nothing_can_be_injected_through_a_mention(listed, payload):
    # A handle stored without the slug rules (a future import, a direct edit) must not be a way in.
    crafted = UserFactory()
    ForumProfile.objects.filter(user=crafted).update(handle=f"x{payload}"[:60])
    for body in (f"@alice-martin{payload}", f"{payload}@alice-martin", f"@{payload}", f"@x{payload}"):
        html = _shown(body)
        for tag, attrs in elements_of(html):
            assert tag not in {"script", "svg", "iframe", "object", "style", "form", "math", "img"} or (
                tag == "img" and set(attrs) <= {"src", "alt", "title"}
            )
            assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
            assert "style" not in attrs
            for name in ("href", "src", "xlink:href", "action", "data"):
                assert urlsplit((attrs.get(name) or "").strip()).scheme.lower() in SAFE_SCHEMES
            if attrs.get("class") == "mention":
                assert (tag, sorted(attrs)) in [("a", ["class", "href", "rel"]), ("span", ["class"])]
                if tag == "a":
                    assert attrs["href"] == listed.get_absolute_url()


def test_a_handle_never_brings_its_own_markup(listed):
    html = _shown('@alice-martin"onmouseover="alert(1) @alice-martin><b>x</b>')
    assert html.count('class="mention"') == 2
    assert "onmouseover" not in [name for _tag, attrs in elements_of(html) for name in attrs]
    assert "<b>" not in html


def test_render_sanitiser_keeps_the_same_rules_as_home_sanitize():
    """The second pass adds only the mention class: on ordinary posts it changes nothing."""
    for body in [*PAYLOADS, "**gras** [lien](https://transiscope.org) `code`\n\n| a |\n|---|\n| b |"]:
        html = markdown_to_html(body)
        assert _sanitize(html) == html
    assert _sanitize('<span class="mention evil" onclick="x">@a</span><p class="x">b</p>') == (
        '<span class="mention">@a</span><p>b</p>'
    )


def test_people_notified_are_the_people_shown_as_mentioned(
    listed, unlisted, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(
            topic=make_topic(),
            author=UserFactory(roles=["ambassador"]),
            body="`@alice-martin` pour l'exemple, mais merci @bruno-cache",
        )
    assert [m.to for m in mail.outbox if "mentionné" in m.subject] == [[unlisted.email]]
    assert handles_in_html(markdown_to_html("```\n@alice-martin\n```")) == set()


def test_topic_page_links_mentions_and_moderation_queue_too(client, listed, moderator):
    topic = make_topic(body="Bonjour @alice-martin")
    html = client.get(topic.get_absolute_url()).content.decode()
    assert f'<a class="mention" href="{listed.get_absolute_url()}"' in html
    newcomer = UserFactory()
    services.post_create(topic=topic, author=newcomer, body="Premier message pour @alice-martin")
    assert Post.objects.get(author=newcomer).status == Post.Status.HELD
    client.force_login(moderator)
    queue = client.get(reverse("community:moderation")).content.decode()
    assert queue.count(f'<a class="mention" href="{listed.get_absolute_url()}"') == 1


def test_topic_page_queries_do_not_grow_with_mentions(client, member, django_assert_max_num_queries):
    topic = make_topic(category=CategoryFactory(), replies=1)
    client.force_login(member)
    url = topic.get_absolute_url()
    client.get(url)  # warm up per-process caches (site, settings)
    with django_assert_max_num_queries(25) as plain:
        assert client.get(url).status_code == 200
    listed = [AmbassadorProfileFactory(user__display_name=f"Ambassadrice {n}") for n in range(20)]
    others = [UserFactory(display_name=f"Membre {n}") for n in range(20)]
    for n in range(40):
        services.post_create(
            topic=topic,
            author=member,
            body=f"Merci @ambassadrice-{n % 20} et @membre-{n % 20}, @inconnu-{n}, `@membre-{n % 20}`",
        )
    # The page with 20 posts full of mentions costs one query more than the page without any.
    with django_assert_max_num_queries(len(plain.captured_queries) + 1):
        html = client.get(url, {"page": 2}).content.decode()
    assert html.count('<a class="mention"') == 20 and html.count('<span class="mention"') == 20
    assert listed[0].get_absolute_url() in html and others[0].forum_profile.handle in html
    with django_assert_max_num_queries(len(plain.captured_queries) + 1):
        assert client.get(url, {"page": 3}).status_code == 200
