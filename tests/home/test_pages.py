from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

import pytest

from home.models import FormPage, HomePage, PortalSettings, StandardPage
from tests.home.conftest import publish


def add_standard_page(parent, **kwargs):
    page = StandardPage(**{"title": "À propos", "slug": "a-propos", **kwargs})
    parent.add_child(instance=page)
    return publish(page)


@pytest.mark.django_db
def test_standard_page_renders_every_block(client, home_page):
    image = Image.objects.create(title="Marché", file=get_test_image_file())
    page = add_standard_page(
        home_page,
        introduction="Une carte commune.",
        body=[
            ("heading", {"text": "Pourquoi ?", "level": "h2"}),
            ("paragraph", "<p>Parce que <b>ensemble</b>.</p>"),
            (
                "image",
                {"image": image, "alt": "Des étals au marché", "caption": "Le marché", "credit": "Zoé"},
            ),
            ("quote", {"quote": "Un autre monde existe déjà.", "attribution": "Une ambassadrice"}),
            (
                "call_to_action",
                {"title": "Rejoignez-nous", "text": "", "page": home_page, "url": "", "button_label": "Go"},
            ),
        ],
    )
    response = client.get(page.url)
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>À propos</h1>" in content
    assert "<h2>Pourquoi ?</h2>" in content
    assert "<b>ensemble</b>" in content
    assert 'alt="Des étals au marché"' in content
    assert "© Zoé" in content
    assert "<blockquote><p>Un autre monde existe déjà.</p></blockquote>" in content
    assert '<a class="btn" href="/">Go</a>' in content


@pytest.mark.django_db
def test_page_tree_rules():
    assert StandardPage.can_create_at(HomePage.objects.first())
    assert FormPage.parent_page_types == ["home.HomePage", "home.StandardPage"]
    assert FormPage.subpage_types == []
    assert "home.StandardPage" in StandardPage.subpage_types
    assert HomePage.parent_page_types == ["wagtailcore.Page"]


@pytest.mark.django_db
def test_menu_lists_pages_shown_in_menus_and_footer_comes_from_site_settings(client, home_page):
    about = add_standard_page(home_page, show_in_menus=True)
    legal = add_standard_page(home_page, title="Mentions légales", slug="mentions-legales")
    settings = PortalSettings.for_site(home_page.get_site())
    settings.contact_email = "bonjour@exemple.org"
    settings.mastodon_url = "https://mastodon.social/@transiscope"
    settings.legal_page = legal
    settings.footer_links = [
        ("link", {"page": about, "url": "", "label": "", "label_en": ""}),
        (
            "link",
            {"page": None, "url": "https://transiscope.org", "label": "La carte", "label_en": "The map"},
        ),
    ]
    settings.save()
    content = client.get("/").content.decode()
    header, footer = content.split('class="site-footer"')
    assert '<a href="/a-propos/">À propos</a>' in header
    assert '<a href="/a-propos/">À propos</a>' in footer
    assert '<a href="https://transiscope.org">La carte</a>' in footer
    assert '<a href="/mentions-legales/">Mentions légales</a>' in footer
    assert "mailto:bonjour@exemple.org" in footer
    assert 'href="https://mastodon.social/@transiscope" rel="me"' in footer


@pytest.mark.django_db
def test_home_page_query_count_does_not_grow_with_the_number_of_pages(
    client, home_page, django_assert_max_num_queries
):
    for number in range(40):
        add_standard_page(home_page, title=f"Page {number}", slug=f"page-{number}", show_in_menus=True)
    with django_assert_max_num_queries(40):  # see test_home_sections for what the fixed cost is made of
        response = client.get("/")
    assert response.status_code == 200
    assert response.content.decode().count('href="/page-') == 40
