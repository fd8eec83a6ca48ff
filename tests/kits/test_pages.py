from wagtail.models import Page

import pytest

from kits.models import AudienceOption, FaqIndexPage, FormatOption, KitIndexPage, KitPage, ResponsibleGroup
from kits.selectors import kit_recap
from tests.kits.factories import FaqEntryFactory, add_kit

pytestmark = pytest.mark.django_db


def test_page_tree_rules(home_page, kit_index):
    assert KitIndexPage.can_create_at(home_page) is False  # one per parent, already there
    assert FaqIndexPage.can_create_at(home_page)
    assert KitPage.can_create_at(kit_index)
    assert not KitPage.can_create_at(home_page)
    kit = add_kit(kit_index)
    assert not KitPage.can_create_at(kit)
    assert not KitIndexPage.can_create_at(kit_index)
    assert KitIndexPage.allowed_subpage_models() == [KitPage]
    assert not FaqIndexPage.can_create_at(Page.objects.get(depth=1))


def _kit(index, title, theme, formats, audiences, group=None):
    kit = add_kit(index, title=title, theme=theme, responsible_group=group, publish=False)
    kit.formats.set(FormatOption.objects.filter(code__in=formats))
    kit.audiences.set(AudienceOption.objects.filter(code__in=audiences))
    kit.save_revision().publish()
    return kit


def test_recap_table_is_built_from_live_pages_and_filters(client, kit_index):
    sources = ResponsibleGroup.objects.create(name="Groupe sources")
    _kit(kit_index, "Maintenir ses données", "data", ["kit", "one_to_one"], ["sources"], sources)
    _kit(
        kit_index, "Organiser une cartopartie", "cartoparty", ["kit", "remote", "in_person"], ["collectives"]
    )
    add_kit(kit_index, title="Brouillon secret", publish=False)

    rows = kit_recap(index_page=kit_index)
    assert [row["title"] for row in rows] == ["Maintenir ses données", "Organiser une cartopartie"]
    assert rows[0]["formats"] == {"kit", "one_to_one"} and rows[0]["group"] == "Groupe sources"
    assert rows[1]["audiences"] == ["Collectifs locaux"]
    assert [r["title"] for r in kit_recap(index_page=kit_index, audience="sources")] == [
        "Maintenir ses données"
    ]
    assert [r["title"] for r in kit_recap(index_page=kit_index, theme="cartoparty")] == [
        "Organiser une cartopartie"
    ]

    html = client.get(kit_index.url).content.decode()
    assert "Tableau récapitulatif" in html and "Brouillon secret" not in html
    assert html.count("<tr>") == 3  # header + two kits
    html = client.get(kit_index.url, {"audience": "collectives"}).content.decode()
    assert "Organiser une cartopartie" in html and "Maintenir ses données" not in html


def test_index_query_count_does_not_grow_with_kits(client, kit_index, django_assert_max_num_queries):
    group = ResponsibleGroup.objects.create(name="Groupe communication")
    for n in range(3):
        _kit(kit_index, f"Kit {n}", "tools", ["kit", "remote"], ["public", "sources"], group)
    client.get(kit_index.url)
    with django_assert_max_num_queries(20) as few:
        client.get(kit_index.url)
    for n in range(3, 15):
        _kit(kit_index, f"Kit {n}", "tools", ["kit", "remote"], ["public", "sources"], group)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(kit_index.url)
    assert response.content.decode().count('scope="row"') == 15


def _steps(n, entry):
    steps = []
    for i in range(n):
        steps += [
            ("text", {"title": f"Étape {i}", "text": "<p>Texte</p>"}),
            ("checklist", {"title": f"Liste {i}", "items": ["a", "b"]}),
            ("callout", {"title": f"Astuce {i}", "kind": "tip", "text": "<p>Astuce</p>"}),
            ("faq_links", {"title": f"FAQ {i}", "entries": [entry]}),
        ]
    return steps


def test_kit_page_query_count_does_not_grow_with_steps(client, kit_index, faq_page, user,
                                                       django_assert_max_num_queries):  # fmt: skip
    entry = FaqEntryFactory(question="Qui contacter ?")
    small = add_kit(kit_index, title="Petit kit", body=_steps(1, entry))
    big = add_kit(kit_index, title="Gros kit", body=_steps(12, entry))
    client.force_login(user)
    client.get(small.url)
    with django_assert_max_num_queries(40) as few:
        response = client.get(small.url)
    assert f"{faq_page.url}#{entry.slug}" in response.content.decode()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(big.url)
    assert response.content.decode().count('class="kit-step ') == 48


def test_kit_page_renders_steps_facts_and_changelog(client, kit_index):
    kit = add_kit(kit_index, title="Être ambassadeur·rice", estimated_minutes=45, version=2,
                  body=[("text", {"title": "Le rôle", "text": "<p>Relayer la carte.</p>"})])  # fmt: skip
    kit.changes.create(version=2, description="Ajout d'une étape sur les réseaux sociaux.")
    kit.save_revision().publish()
    html = client.get(kit.url).content.decode()
    assert "Le rôle" in html and "45 minutes" in html and "réseaux sociaux" in html
    assert "Connectez-vous" in html


def test_editors_can_open_the_kit_editor_and_the_snippets(client, kit, staff_user):
    client.force_login(staff_user)
    assert client.get(f"/admin/pages/{kit.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/add/kits/kitpage/{kit.get_parent().pk}/").status_code == 200
    for model in ("faqentry", "faqcategory", "trainingsession", "responsiblegroup"):
        assert client.get(f"/admin/snippets/kits/{model}/").status_code == 200
        assert client.get(f"/admin/snippets/kits/{model}/add/").status_code == 200


def test_english_index_lists_untranslated_kits_in_french(client, kit_index):
    from wagtail.models import Locale

    english = Locale.objects.get_or_create(language_code="en")[0]
    translated = add_kit(kit_index, title="Organiser une cartopartie", slug="cartopartie")
    add_kit(kit_index, title="Maintenir ses données", slug="donnees")
    add_kit(kit_index, title="Brouillon", slug="brouillon", publish=False)
    english_kit = translated.copy_for_translation(english, copy_parents=True)
    english_kit.title = "Organising a mapping party"
    english_kit.save_revision().publish()
    english_index = kit_index.get_translation(english)  # an alias made by copy_parents, live

    rows = kit_recap(index_page=english_index)

    assert [(row["title"], row["language"]) for row in rows] == [
        ("Organising a mapping party", "en"),
        ("Maintenir ses données", "fr"),
    ]
    assert [row["title"] for row in kit_recap(index_page=kit_index)] == [
        "Organiser une cartopartie",
        "Maintenir ses données",
    ]
    html = client.get(english_index.url).content.decode()
    assert 'lang="fr">Maintenir ses données</a>' in html and "(not translated yet)" in html
