import io

from wagtail.models import Locale

import pytest

from kits import demo
from kits.models import FaqEntry, KitIndexPage, KitPage, Registration, TrainingSession
from kits.selectors import kit_recap

pytestmark = pytest.mark.django_db


def test_demo_loads_the_strategy_kits_twice_without_duplicates():
    from accounts import demo as accounts_demo

    accounts_demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
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
    english_index = KitIndexPage.objects.get(locale__language_code="en")
    rows = kit_recap(index_page=english_index)
    english_rows = [row for row in rows if row["language"] == "en"]
    assert [row["title"] for row in english_rows] == ["Organising a mapping party"]
    assert english_rows[0]["formats"] == {"kit", "remote", "in_person"}  # the translation keeps the formats
    assert len(rows) == KitPage.objects.live().filter(locale__language_code="fr").count()  # others in French
