from datetime import timedelta

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import pytest

from stories.models import CallPage, SourcesShowcasePage, Submission
from tests.factories import UserFactory
from tests.stories.factories import SourceFactory
from tests.stories.test_services import _png_bytes

pytestmark = pytest.mark.django_db


def test_index_lists_published_stories_filtered_by_kind(client, publish_story):
    publish_story(title="La cartoparty de Quimper", kind="cartoparty", territory="29")
    publish_story(title="Un article national", kind="article", territory="")
    response = client.get("/recits/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "La cartoparty de Quimper" in content and "Un article national" in content
    assert 'type="application/rss+xml"' in content
    filtered = client.get("/recits/", {"type": "cartoparty"}).content.decode()
    assert "La cartoparty de Quimper" in filtered and "Un article national" not in filtered


def test_index_query_count_does_not_grow_with_stories(client, publish_story, django_assert_max_num_queries):
    for number in range(12):
        publish_story(title=f"Récit {number}")
    client.get("/recits/")  # warm the site root cache
    with django_assert_max_num_queries(25):
        assert client.get("/recits/").status_code == 200


def test_story_page_has_open_graph_and_share_links(client, publish_story):
    story = publish_story(title="Le village des alternatives d'Alès", kind="village")
    content = client.get(story.url).content.decode()
    assert '<meta property="og:title" content="Le village des alternatives d&#x27;Alès">' in content
    assert 'property="og:url" content="http://' in content
    assert "/recits/partager/mastodon/" in content
    assert "Village des alternatives" in content


def test_mastodon_share_goes_to_the_chosen_instance_on_post_only(client):
    page = client.get("/recits/partager/mastodon/", {"text": "Un récit https://exemple.org/r/"})
    assert page.status_code == 200 and "Un récit" in page.content.decode()
    response = client.post(
        "/recits/partager/mastodon/",
        {"instance": "@moi@Framapiaf.org", "text": "Un récit https://exemple.org/r/"},
    )
    assert response.status_code == 302
    assert (
        response["Location"]
        == "https://framapiaf.org/share?text=Un%20r%C3%A9cit%20https%3A%2F%2Fexemple.org%2Fr%2F"
    )
    bad = client.post("/recits/partager/mastodon/", {"instance": "javascript:alert(1)", "text": "x"})
    assert bad.status_code == 200 and "Location" not in bad


def test_feeds(client, publish_story):
    publish_story(title="Un récit de coopération", kind="cooperation")
    rss = client.get("/recits/flux/rss/")
    assert (
        rss.status_code == 200
        and b"<rss" in rss.content
        and "Un récit de coopération" in rss.content.decode()
    )
    atom = client.get("/recits/flux/atom/")
    assert b'xmlns="http://www.w3.org/2005/Atom"' in atom.content and "coopération" in atom.content.decode()


@pytest.fixture
def call(story_index):
    call = CallPage(
        title="Racontez votre cartoparty", slug="appel-cartoparty", introduction="<p>Racontez !</p>"
    )
    story_index.add_child(instance=call)
    return call


def _submission_data(**extra):
    return {
        "name": "Maëlle",
        "email": "maelle@exemple.org",
        "territory": "29",
        "text": "Nous avons cartographié.",
        **extra,
    }


def test_call_form_records_a_testimony_with_photo(client, call):
    page = client.get(call.url)
    assert "Pourquoi ces questions" in page.content.decode()
    photo = SimpleUploadedFile("carto.png", _png_bytes(), "image/png")
    response = client.post(call.url, _submission_data(photo_1=photo, credit_1="Maëlle D.", consent_1="on"))
    assert response.status_code == 200 and "Merci" in response.content.decode()
    submission = Submission.objects.get()
    assert submission.status == "received" and submission.photos.get().consent


def test_call_form_rejects_robots_and_photos_without_credit(client, call):
    robot = client.post(call.url, _submission_data(site_web_entreprise="http://spam.example"))
    assert robot.status_code == 400
    photo = SimpleUploadedFile("carto.png", _png_bytes(), "image/png")
    no_credit = client.post(call.url, _submission_data(photo_1=photo))
    assert no_credit.status_code == 400 and "Indiquez qui a pris cette photo" in no_credit.content.decode()
    assert not Submission.objects.exists()


def test_call_form_is_rate_limited(client, call):
    for _attempt in range(10):
        client.post(call.url, _submission_data())
    assert client.post(call.url, _submission_data()).status_code == 429
    assert Submission.objects.count() == 10


def test_one_click_turns_a_submission_into_a_draft_in_the_admin(client, call):
    submission = Submission.objects.create(
        call=call, name="Paul", email="p@exemple.org", territory="30", text="Oui"
    )
    client.force_login(UserFactory(staff=True))
    listing = client.get("/admin/snippets/stories/submission/").content.decode()
    assert f"/admin/recits/temoignages/{submission.pk}/brouillon/" in listing
    response = client.post(f"/admin/recits/temoignages/{submission.pk}/brouillon/")
    submission.refresh_from_db()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/pages/{submission.story_id}/edit/"
    )
    assert submission.status == "drafted"


def test_showcase_lists_active_sources_with_their_counts(
    client, home_page, publish_story, django_assert_max_num_queries
):
    from tests.newsletter.factories import element

    showcase = SourcesShowcasePage(title="Les sources", slug="les-sources")
    home_page.add_child(instance=showcase)
    colibris = SourceFactory(name="Colibris", joined_on=timezone.localdate() - timedelta(days=400))
    element(colibris, name="A", departement="30")
    element(colibris, name="B", departement="30")
    element(colibris, name="C", departement="30", removed=True)
    SourceFactory(name="Endormie", is_active=False)
    for number in range(8):
        element(SourceFactory(name=f"Réseau local {number}"), name="X", departement="29")
    story = publish_story(title="Colibris dans le Gard")
    story.sources.add(colibris)
    story.save_revision().publish()

    client.get(showcase.url)
    with django_assert_max_num_queries(20):
        content = client.get(showcase.url).content.decode()
    assert "Colibris" in content and "Endormie" not in content
    assert "9 sources actives" in content
    detail = client.get(showcase.url + colibris.slug + "/").content.decode()
    assert "Colibris dans le Gard" in detail
    assert '<dd class="num">2</dd>' in detail  # removed elements are not counted
    assert client.get(showcase.url + "endormie/").status_code == 404


def test_home_section_lists_latest_stories(client, publish_story):
    publish_story(title="Dernier récit publié")
    assert "Dernier récit publié" in client.get("/").content.decode()


def test_personal_data_lists_testimonies(call):
    from stories.selectors import personal_data

    user = UserFactory(email="maelle@exemple.org")
    Submission.objects.create(
        call=call, name="Maëlle", email="maelle@exemple.org", territory="29", text="Oui"
    )
    data = personal_data(user=user)
    assert data["testimonies"][0]["text"] == "Oui"
    assert mail.outbox == []


def test_a_story_translated_with_wagtail_localize_is_served_in_english(
    client, story_index, publish_story, django_capture_on_commit_callbacks
):
    from wagtail.models import Locale
    from wagtail_localize.models import Translation, TranslationSource

    english = Locale.objects.create(language_code="en")
    source = SourceFactory(name="Alternatiba")
    story = publish_story(title="Le tour des alternatives", kind="tour")
    story.sources.add(source)
    story.save_revision().publish()
    for page in (story_index.get_parent(), story_index, story):
        translation_source, _created = TranslationSource.get_or_create_from_instance(page.specific)
        with django_capture_on_commit_callbacks(execute=True):  # wagtail-localize publishes on commit
            Translation.objects.create(source=translation_source, target_locale=english).save_target(
                publish=True
            )

    english_story = story.get_translation(english)
    assert english_story.live and english_story.kind == "tour"
    assert list(english_story.sources.all()) == [source]
    response = client.get("/en/recits/")
    assert response.status_code == 200 and '<html lang="en">' in response.content.decode()
    assert english_story.title in response.content.decode()
    assert "Le tour des alternatives" in client.get("/en/recits/flux/rss/").content.decode()
