"""/recherche/, /en/search/, the JSON API and the OpenSearch description, through real requests."""

import json

from django.test import override_settings
from django.utils import timezone

import pytest

from agenda.models import Event
from community.models import Category
from tests.community.factories import CategoryFactory, make_topic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_page_lists_results_by_type_with_marks_and_counts(client, alternatives):
    response = client.get("/recherche/", {"q": "reparer"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>réparation</mark>" in html
    assert 'role="status"' in html and "1 résultat" in html
    assert 'name="type" value="alternative"' in html
    # Filters stay in the URL of the facet links (shareable, back button works).
    assert "categorie=R%C3%A9paration" in html and "q=reparer" in html


def test_the_type_filter_and_the_departement_filter_are_in_the_url(client, alternatives):
    Event.objects.create(
        origin=Event.Origin.PROPOSED,
        uid="x",
        title="Rue libre",
        start=timezone.now(),
        end=timezone.now(),
        review=Event.Review.APPROVED,
        departement="75",
    )
    everything = client.get("/recherche/", {"q": "rue"}).content.decode()
    assert "<mark>Rue</mark> libre" in everything and "Vélorution" in everything
    events = client.get("/recherche/", {"q": "rue", "type": "event"}).content.decode()
    assert "<mark>Rue</mark> libre" in events and "Vélorution" not in events
    gard = client.get("/recherche/", {"q": "rue", "departement": "30"}).content.decode()
    assert "Vélorution" in gard and "libre" not in gard and "La Cagette" not in gard


def test_an_english_query_on_the_english_page(client):
    from wagtail.models import Locale

    from kits.models import FaqEntry

    english = Locale.objects.get_or_create(language_code="en")[0]
    french = Locale.objects.get(language_code="fr")
    FaqEntry.objects.create(
        question="How do I repair my bike?",
        answer="<p>Bring it to a repair café.</p>",
        slug="repair",
        locale=english,
    )
    FaqEntry.objects.create(
        question="Comment réparer mon vélo ?", answer="<p>Au repair café.</p>", slug="reparer", locale=french
    )
    response = client.get("/en/search/", {"q": "repairing"})
    html = response.content.decode()
    assert response.status_code == 200 and 'lang="en"' in html
    assert "How do I <mark>repair</mark> my bike?" in html and "Comment réparer" not in html
    assert "1 result" in html


def test_the_header_of_every_page_has_the_search_box_and_the_head_the_opensearch_link(client):
    html = client.get("/recherche/").content.decode()
    assert 'role="search"' in html and 'name="q"' in html
    assert 'rel="search" type="application/opensearchdescription+xml"' in html
    xml = client.get("/opensearch.xml")
    assert xml["Content-Type"].startswith("application/opensearchdescription+xml")
    assert "/recherche/?q={searchTerms}" in xml.content.decode()


def test_the_api_answers_json_with_cors_and_the_alternative_fields(client, alternatives):
    response = client.get("/api/recherche.json", {"q": "velorution", "departement": "30"})
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    assert data["query"] == "velorution" and data["total"] == 1
    (result,) = data["results"]
    assert result["type"] == "alternative" and result["title"] == "Vélorution Nîmes"
    assert result["departement"] == "30" and result["categories"] == ["Mobilité"]
    assert result["latitude"] == pytest.approx(43.8367) and len(result["sources"]) == 1
    assert data["facets"]["type"] == {"alternative": 1}
    outside = json.loads(client.get("/api/recherche.json", {"q": "velorution", "departement": "75"}).content)
    assert outside["total"] == 0 and outside["results"] == []
    near = json.loads(
        client.get("/api/recherche.json", {"lat": "43.61", "lon": "3.88", "rayon": "20"}).content
    )
    assert [item["title"] for item in near["results"]] == ["Atelier de réparation de vélos"]


def test_the_api_keeps_the_forum_rule(client):
    make_topic(
        category=CategoryFactory(visibility=Category.Visibility.STEERING),
        title="Budget confidentiel",
        body="chiffres",
    )
    assert json.loads(client.get("/api/recherche.json", {"q": "budget"}).content)["total"] == 0
    client.force_login(UserFactory())
    assert json.loads(client.get("/api/recherche.json", {"q": "budget"}).content)["total"] == 0
    client.force_login(UserFactory(roles=["steering_committee"]))
    assert json.loads(client.get("/api/recherche.json", {"q": "budget"}).content)["total"] == 1


@override_settings(RATELIMIT_ENABLE=True)
def test_the_api_is_rate_limited(client, monkeypatch):
    statuses = {client.get("/api/recherche.json", {"q": "x"}).status_code for _ in range(121)}
    assert statuses == {200, 429}
