"""The kits index shows one page of its table, whatever the number of kits."""

import pytest

from kits.models import KitIndexPage
from tests.kits.factories import add_kit


@pytest.mark.django_db
def test_the_kits_index_is_paginated_and_keeps_its_filters(client, kit_index, monkeypatch):
    monkeypatch.setattr(KitIndexPage, "KITS_PER_PAGE", 2)
    for n in range(5):
        add_kit(kit_index, title=f"Kit {n}", slug=f"kit-{n}")

    first = client.get(kit_index.url)
    last = client.get(kit_index.url, {"page": 3, "theme": ""})

    assert [row["title"] for row in first.context["rows"]] == ["Kit 0", "Kit 1"]
    assert first.context["page_obj"].paginator.num_pages == 3
    assert 'rel="next"' in first.content.decode()
    assert [row["title"] for row in last.context["rows"]] == ["Kit 4"]
    assert 'href="?theme=&amp;page=2"' in last.content.decode()
