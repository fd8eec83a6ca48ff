import io

from django.core.management import call_command

from wagtail.models import Locale

import pytest

from accounts.demo import demo_user
from kits import demo, services
from kits.models import FaqEntry, KitIndexPage, KitPage, Registration, TrainingSession
from kits.selectors import kit_recap

pytestmark = pytest.mark.django_db


def test_demo_loads_the_strategy_kits_twice_without_duplicates():
    call_command("load_demo", only=["accounts", "home", "kits"], stdout=io.StringIO())
    counts = (KitPage.objects.count(), FaqEntry.objects.count(), TrainingSession.objects.count(),
              Registration.objects.count())  # fmt: skip
    demo.load(stdout=io.StringIO())
    assert counts == (KitPage.objects.count(), FaqEntry.objects.count(), TrainingSession.objects.count(),
                      Registration.objects.count())  # fmt: skip
    french = Locale.get_default()
    themes = set(KitPage.objects.filter(locale=french).values_list("theme", flat=True))
    assert len(themes) >= 8
    assert TrainingSession.objects.filter(start__lt=demo.timezone.now()).exists()
    assert TrainingSession.objects.filter(start__gt=demo.timezone.now()).exists()
    assert Registration.objects.filter(status="waiting").exists()


def test_demo_kits_are_all_in_english_with_their_steps_formats_and_group(client):
    call_command("load_demo", only=["accounts", "home", "kits"], stdout=io.StringIO())
    english_index = KitIndexPage.objects.get(locale__language_code="en")
    rows = kit_recap(index_page=english_index)
    assert len(rows) == KitPage.objects.live().filter(locale__language_code="fr").count()
    assert {row["language"] for row in rows} == {"en"}
    party = next(row for row in rows if row["title"] == "Organising a mapping party")
    assert party["formats"] == {"kit", "remote", "in_person"}  # the translation keeps the formats
    assert party["group"] == "Local groups team"
    original = KitPage.objects.get(slug="organiser-cartopartie", locale__language_code="fr")
    assert party["kit"].step_ids() == original.step_ids()  # ticked steps are shared by both languages
    assert [step.value["title"] for step in party["kit"].body] == [
        "Choose the place and the date",
        "Equipment",
        "Attention",
    ]
    assert party["kit"].body[2].value["kind"] == "warning"
    english_faq = FaqEntry.objects.filter(locale__language_code="en", live=True)
    assert english_faq.count() == FaqEntry.objects.filter(locale__language_code="fr", live=True).count()
    assert english_faq.get(slug="supprimer-compte").category.name == "Your account"

    # A step ticked on the English kit counts for the kit, and "my learning" names it in English.
    member = demo_user("membre")
    services.kit_step_set(user=member, kit=party["kit"], step_id=party["kit"].step_ids()[0], done=True)
    client.force_login(member)
    html = client.get("/en/kits/mon-parcours/").content.decode()
    assert "Organising a mapping party" in html and "Organiser une cartopartie" not in html
