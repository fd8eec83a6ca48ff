"""Content-Security-Policy and Permissions-Policy on every page; the admins still work under their own
policy; remote images in what people write are not loaded."""

import re

from django.http import HttpResponse
from django.template import engines

from wagtail.models import Page

import pytest

from core.middleware import PortalCSPMiddleware
from core.sanitize import markdown_to_html, sanitize_html
from tests.factories import UserFactory


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/en/", "/sources/", "/communaute/", "/comptes/login/", "/nulle-part/"])
def test_public_pages_have_a_strict_script_policy(client, url):
    response = client.get(url)
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    # No inline script the policy would block: every <script> has a src or is a JSON data block.
    for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
        assert "src=" in tag or 'type="application/json"' in tag, tag


@pytest.mark.django_db
def test_the_agenda_widget_may_be_framed_by_other_sites(client):
    response = client.get("/agenda/widget/")
    assert response.status_code == 200
    assert directives(response)["frame-ancestors"] == ["*"]


@pytest.mark.django_db
def test_wagtail_admin_pages_work_under_their_own_policy(client):
    client.force_login(UserFactory(staff=True))
    home = Page.objects.get(depth=2)
    for url in ["/admin/", f"/admin/pages/{home.pk}/edit/", "/admin/images/", "/django-admin/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert "'unsafe-inline'" in policy["script-src"], url
        assert not any(source.startswith("'nonce-") for source in policy["script-src"]), url
        assert "https:" not in policy["script-src"] and "*" not in policy["script-src"], url
        assert policy["object-src"] == ["'none'"], url


def test_a_template_that_asks_for_a_nonce_gets_it_in_the_policy(rf):
    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}">go()</script>')

    def view(request):
        return HttpResponse(template.render({}, request))

    request = rf.get("/")
    response = PortalCSPMiddleware(view)(request)
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in directives(response)["script-src"]


def test_media_on_another_host_is_allowed_as_images(rf, settings):
    settings.MEDIA_URL = "https://medias.exemple.org/portail/"
    response = PortalCSPMiddleware(lambda request: HttpResponse("ok"))(rf.get("/"))
    assert "https://medias.exemple.org" in directives(response)["img-src"]


@pytest.mark.parametrize(
    "remote",
    [
        "https://evil.example/pixel.gif",
        "http://evil.example/p.png",
        "//evil.example/p.png",
    ],
)
def test_remote_images_in_markdown_become_links(remote):
    rendered = markdown_to_html(f"Regardez ![le pixel]({remote})")
    assert "<img" not in rendered
    assert "le pixel" in rendered


def test_local_images_are_kept(settings):
    settings.SITE_URL = "https://portail.transiscope.org"
    assert '<img src="/media/forum/a.png"' in markdown_to_html("![a](/media/forum/a.png)")
    kept = sanitize_html('<img src="https://portail.transiscope.org/media/b.png" alt="b">')
    assert 'src="https://portail.transiscope.org/media/b.png"' in kept


def test_remote_image_sources_are_dropped_from_html():
    cleaned = sanitize_html('<p><img src="https://evil.example/p.gif" alt="x"></p>')
    assert "evil.example" not in cleaned


@pytest.mark.django_db
def test_a_forum_post_with_a_tracking_pixel_loads_nothing_remote(client):
    from community import services
    from tests.community.factories import CategoryFactory

    author = UserFactory(roles=["ambassador"])
    topic = services.topic_create(
        category=CategoryFactory(),
        author=author,
        title="Un sujet",
        body="Salut ![](https://evil.example/t.gif)",
    )
    post = topic.posts.first()
    assert "<img" not in post.body_html


@pytest.mark.django_db
def test_the_mastodon_share_form_may_send_people_to_their_instance(client):
    policy = directives(client.get("/recits/partager/mastodon/?text=Bonjour"))
    assert policy["form-action"] == ["'self'", "https:"]
    assert policy["script-src"] == ["'self'"]
