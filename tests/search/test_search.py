"""The search index and engine, through the real feed check, real models and the database's own engine
(FTS5 on SQLite, tsvector + pg_trgm on PostgreSQL: run this file with DATABASE_URL for the second)."""

from django.utils import timezone

import pytest

from agenda.models import Event
from community.models import Category
from search.models import SearchDocument
from search.selectors import SearchParams, search
from sources.services.checks import check_source
from tests.community.factories import CategoryFactory, make_topic
from tests.factories import UserFactory
from tests.sources.conftest import record

pytestmark = pytest.mark.django_db


def titles(query="", user=None, **filters):
    params = SearchParams(q=query, language=filters.pop("language", "fr"), **filters)
    return [hit.document.title for hit in search(user=user, params=params).hits]


def test_accentless_query_finds_an_accented_name(alternatives):
    assert titles("velorution") == ["Vélorution Nîmes"]
    assert titles("NIMES") == ["Vélorution Nîmes"]


def test_one_typo_in_a_long_word_finds_it(alternatives):
    assert titles("velorition") == ["Vélorution Nîmes"]  # one letter replaced
    assert titles("cagete") == ["La Cagette"]  # one letter missing
    assert titles("velorutioon") == ["Vélorution Nîmes"]  # one letter added
    assert titles("vilorition") == []  # two letters away: no


def test_stemming_and_prefix(alternatives):
    assert titles("réparer") == ["Atelier de réparation de vélos"]
    assert titles("reparations") == ["Atelier de réparation de vélos"]
    assert titles("atel") == ["Atelier de réparation de vélos"]  # as you type


def test_category_only_and_address_only_matches(alternatives):
    assert titles("alimentation") == ["La Cagette"]  # only a category
    assert titles("carnot") == ["Atelier de réparation de vélos"]  # only the address


def test_all_words_required(alternatives):
    assert titles("velo montpellier") == ["Atelier de réparation de vélos"]
    assert titles("velorution montpellier") == []


def test_departement_and_radius_filters_exclude_what_is_outside(alternatives):
    assert titles("rue", departement="30") == ["Vélorution Nîmes"]
    assert sorted(titles("rue")) == ["La Cagette", "Vélorution Nîmes"]
    # 20 km around Montpellier reaches the workshop only; 60 km reaches Nîmes too, never Paris.
    assert titles("", lat=43.61, lon=3.88, rayon=20) == ["Atelier de réparation de vélos"]
    assert sorted(titles("", lat=43.61, lon=3.88, rayon=60)) == [
        "Atelier de réparation de vélos",
        "Vélorution Nîmes",
    ]


def test_a_removed_alternative_disappears_after_its_check_and_a_failed_check_keeps_yesterday(
    checked, serve_feed
):
    checked([record("1", "Vélorution Nîmes"), record("2", "La Cagette")])
    assert titles("cagette") == ["La Cagette"]
    serve_feed("<html>maintenance</html>", content_type="text/html")
    from sources.models import Source

    failed = check_source(source=Source.objects.get())
    assert failed.state == "failed"
    assert titles("cagette") == ["La Cagette"]  # yesterday's documents stay
    checked([record("1", "Vélorution Nîmes")])
    assert titles("cagette") == []
    checked([record("1", "Vélorution Nîmes modifiée"), record("2", "La Cagette")])
    assert titles("cagette") == ["La Cagette"]  # it came back
    assert titles("modifiee") == ["Vélorution Nîmes modifiée"]  # a changed record is re-indexed
    assert SearchDocument.objects.filter(doc_type="alternative").count() == 2


def make_event(title, description, **kwargs):
    now = timezone.now() + timezone.timedelta(days=1)
    return Event.objects.create(
        origin=Event.Origin.PROPOSED,
        uid=title,
        title=title,
        description=description,
        start=now,
        end=now,
        review=Event.Review.APPROVED,
        **kwargs,
    )


def test_a_word_only_in_the_description_finds_it():
    make_event("Fête du quartier", "Un atelier de compostage collectif ouvert à toutes et tous.")
    make_event("Conférence", "Sur le climat.")
    assert titles("compostage") == ["Fête du quartier"]
    assert titles("compost") == ["Fête du quartier"]


def test_a_steering_committee_topic_never_appears_for_anyone_else():
    steering = CategoryFactory(visibility=Category.Visibility.STEERING)
    make_topic(category=steering, title="Budget confidentiel", body="Les chiffres du budget")
    make_topic(title="Budget participatif", body="Un budget ouvert")
    member = UserFactory()
    committee = UserFactory(roles=["steering_committee"])
    assert titles("budget") == ["Budget participatif"]
    assert titles("budget", user=member) == ["Budget participatif"]
    assert sorted(titles("budget", user=committee)) == ["Budget confidentiel", "Budget participatif"]
    # A category made public later opens its topics; made private again, closes them.
    steering.visibility = Category.Visibility.PUBLIC
    steering.save()
    assert sorted(titles("budget")) == ["Budget confidentiel", "Budget participatif"]
    steering.visibility = Category.Visibility.STEERING
    steering.save()
    assert titles("confidentiel", user=member) == []


def test_snippet_marks_matched_words_and_escapes_the_rest():
    make_event("Atelier", "<b>Réparer</b> son vélo & <script>x</script> ses réparations")
    hit = search(user=None, params=SearchParams(q="reparer")).hits[0]
    assert "<mark>Réparer</mark>" in hit.snippet and "<mark>réparations</mark>" in hit.snippet
    assert "<script>" not in hit.snippet and "&amp;" in hit.snippet


def test_search_rebuild_indexes_everything_again(alternatives):
    from io import StringIO

    from django.core.management import call_command

    make_event("Fête du vélo", "Balade")
    SearchDocument.objects.all().delete()
    from search.engine import get_engine

    get_engine().clear()
    assert titles("cagette") == []
    out = StringIO()
    call_command("search_rebuild", stdout=out)
    assert "alternative" in out.getvalue() and "3/3" in out.getvalue()
    assert titles("cagette") == ["La Cagette"] and titles("balade") == ["Fête du vélo"]


def test_an_agenda_import_written_in_bulk_keeps_the_index_in_step():
    from agenda.services.imports import import_feed_content
    from tests.agenda.conftest import WINDOW, ics
    from tests.agenda.factories import AgendaFeedFactory

    feed = AgendaFeedFactory()
    import_feed_content(feed=feed, content=ics("nextcloud_vtimezone.ics"), **WINDOW)
    assert titles("disco") == ["Disco soupe"] and titles("croix rousse") == ["Repair café de la Croix-Rousse"]
    import_feed_content(feed=feed, content=ics("nextcloud_vtimezone_v2.ics"), **WINDOW)
    assert titles("disco") == []  # left the feed
    assert titles("horaire") == ["Repair café de la Croix-Rousse (nouvel horaire)"]


def test_the_agenda_and_faq_boxes_use_the_engine(client):
    make_event("Vélorution mensuelle", "Départ place de la Maison carrée", location="Nîmes")
    make_event("Conférence", "Sur le climat", location="Lyon")
    assert "Vélorution mensuelle" in client.get("/agenda/", {"q": "velorution"}).content.decode()
    body = client.get("/agenda/", {"q": "nimes"}).content.decode()
    assert "Vélorution mensuelle" in body and "Conférence" not in body
    assert "Vélorution mensuelle" in client.get("/agenda/", {"q": "maison carree"}).content.decode()

    from kits.selectors import faq_entries_for_reuse
    from tests.kits.factories import FaqEntryFactory

    entry = FaqEntryFactory(question="Où déclarer un événement ?", answer="<p>Dans l'agenda du portail.</p>")
    assert list(faq_entries_for_reuse(query="evenements declarer")) == [entry]
    assert list(faq_entries_for_reuse(query="portaul")) == [entry]  # one typo


def test_a_kit_and_its_steps_are_found_and_a_draft_never_is():
    from wagtail.models import Page

    from kits.models import KitIndexPage
    from tests.kits.factories import add_kit

    home = Page.objects.get(depth=2).specific
    index = KitIndexPage(title="Kits et formations", slug="kits-et-formations")
    home.add_child(instance=index)
    index.save_revision().publish()
    kit = add_kit(
        index,
        title="Organiser une cartopartie",
        body=[("checklist", {"title": "Préparer", "items": ["Téléphones chargés"]})],
    )
    assert titles("telephone") == ["Organiser une cartopartie"]  # a step's checklist item
    kit.title = "Brouillon secret"
    kit.save_revision()  # a draft: the live page stays as it was
    assert titles("brouillon") == [] and titles("cartopartie") == ["Organiser une cartopartie"]
    kit.unpublish()
    assert titles("cartopartie") == []
    add_kit(index, title="Kit jamais publié", publish=False)
    assert titles("jamais") == []


def test_the_forum_box_uses_the_engine_and_keeps_the_forum_rule():
    from community.selectors import topics_for_list

    steering = CategoryFactory(visibility=Category.Visibility.STEERING)
    hidden = make_topic(category=steering, title="Réunion du comité", body="Ordre du jour")
    shown = make_topic(title="Réparations de vélos", body="Qui connaît un atelier ?")
    assert list(topics_for_list(user=None, search="reparer")) == [shown]  # stem, no accent
    assert list(topics_for_list(user=None, search="atelir")) == [shown]  # one typo, in a post
    assert list(topics_for_list(user=None, search="reunion")) == []
    committee = UserFactory(roles=["steering_committee"])
    assert list(topics_for_list(user=committee, search="reunion")) == [hidden]


def test_a_source_s_own_forum_category_is_found_by_its_maintainers_only():
    from tests.sources.factories import SourceFactory

    mine, other = SourceFactory(), SourceFactory()
    own_category = Category.objects.get(source=mine)  # every source gets its category
    make_topic(category=own_category, title="Import du flux colibris", body="Notre import échoue")
    maintainer, other_maintainer = UserFactory(), UserFactory(roles=["source_maintainer"])
    mine.maintainers.add(maintainer)
    other.maintainers.add(other_maintainer)
    assert titles("import", user=maintainer) == ["Import du flux colibris"]
    assert titles("import", user=other_maintainer) == []
    assert titles("import") == []
