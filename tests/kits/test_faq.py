from wagtail.models import Locale

import pytest

from kits.models import FaqEntry
from kits.selectors import faq_entries_for_reuse
from kits.services import faq_entry_create_draft
from tests.factories import UserFactory
from tests.kits.factories import FaqCategoryFactory, FaqEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def english():
    return Locale.objects.get_or_create(language_code="en")[0]


def test_reuse_lists_only_published_entries_with_plain_text_answers(faq_page):
    published = FaqEntryFactory(question="Comment ajouter ma source ?", answer="<p>Écrivez <b>nous</b>.</p>")
    FaqEntryFactory(question="Brouillon", live=False)
    entries = list(faq_entries_for_reuse())
    assert entries == [published]
    assert entries[0].answer_text() == "Écrivez nous."
    assert entries[0].get_absolute_url() == f"{faq_page.url}#{published.slug}"


def test_reuse_searches_question_and_answer_with_every_word():
    on_map = FaqEntryFactory(question="Pourquoi ma fiche n'est pas sur la carte ?", answer="<p>Délai.</p>")
    on_agenda = FaqEntryFactory(question="Agenda", answer="<p>Votre flux ICS alimente la carte.</p>")
    FaqEntryFactory(question="Compte", answer="<p>Mot de passe</p>")
    assert set(faq_entries_for_reuse(query="carte")) == {on_map, on_agenda}
    assert list(faq_entries_for_reuse(query="carte flux")) == [on_agenda]
    assert list(faq_entries_for_reuse(query="CARTE fiche")) == [on_map]


def test_reuse_filters_by_language(english):
    french = FaqEntryFactory(question="Qu'est-ce qu'une cartopartie ?")
    translated = french.copy_for_translation(english)
    translated.question = "What is a mapping party?"
    translated.category = None
    translated.save()
    assert list(faq_entries_for_reuse(language="fr")) == [french]
    assert list(faq_entries_for_reuse(language="en")) == [translated]
    assert set(faq_entries_for_reuse()) == {french, translated}


def test_absolute_url_falls_back_to_the_faq_view_without_page():
    entry = FaqEntryFactory(slug="ma-question")
    assert entry.get_absolute_url() == "/kits/faq/#ma-question"


def test_create_draft_sanitises_and_stays_unpublished(faq_page):
    person = UserFactory()
    entry = faq_entry_create_draft(
        question="Comment fusionner deux fiches ?",
        answer_html='<p onclick="x()">Utilisez <script>alert(1)</script>le '
        '<a href="javascript:x">bouton</a>.</p>',
        by=person,
        origin_url="https://transiscope.org/communaute/sujets/12/",
    )
    entry.refresh_from_db()
    assert entry.live is False
    assert "script" not in entry.answer and "onclick" not in entry.answer and "javascript" not in entry.answer
    assert entry.slug == "comment-fusionner-deux-fiches"
    assert entry.created_by == person
    assert entry.locale == Locale.get_default()
    assert entry.latest_revision is not None
    assert entry not in faq_entries_for_reuse()
    again = faq_entry_create_draft(
        question="Comment fusionner deux fiches ?", answer_html="<p>Bis</p>", by=person
    )
    assert again.slug == "comment-fusionner-deux-fiches-2"


def test_faq_page_groups_by_category_with_anchors_and_search(client, faq_page):
    map_category = FaqCategoryFactory(name="La carte", slug="carte", sort_order=1)
    account = FaqCategoryFactory(name="Votre compte", slug="compte", sort_order=2)
    FaqEntryFactory(question="Comment corriger une fiche ?", slug="corriger", category=map_category)
    FaqEntryFactory(question="Comment changer mon mot de passe ?", slug="mot-de-passe", category=account)
    FaqEntryFactory(question="Question en brouillon ?", slug="brouillon", live=False)
    html = client.get(faq_page.url).content.decode()
    assert 'id="corriger"' in html and 'id="mot-de-passe"' in html and "brouillon" not in html
    assert html.index("La carte") < html.index("Votre compte")
    html = client.get(faq_page.url, {"q": "passe"}).content.decode()
    assert 'id="mot-de-passe"' in html and 'id="corriger"' not in html


def test_faq_view_redirects_to_the_page(client, faq_page):
    response = client.get("/kits/faq/")
    assert response.status_code == 302 and response["Location"] == faq_page.url


def test_entry_is_a_translatable_snippet():
    assert FaqEntry.get_translation_model() is FaqEntry
    assert "locale" in {field.name for field in FaqEntry._meta.fields}
