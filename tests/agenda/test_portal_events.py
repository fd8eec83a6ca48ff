"""Events of the portal itself, published by other apps through the contract."""

from datetime import UTC, date, datetime

import pytest

from agenda.models import Event
from agenda.selectors import upcoming_events, visible_events
from agenda.services.portal_events import remove_portal_event, upsert_portal_event

pytestmark = pytest.mark.django_db


def test_upsert_creates_then_updates_the_same_event():
    event = upsert_portal_event(
        key="kits:session:1",
        title="Formation « Animer une fresque »",
        start=datetime(2027, 3, 4, 9, 30),
        end=datetime(2027, 3, 4, 17, 0),
        location="Tiers-lieu, 30000 Nîmes",
        departement="30",
        categories=["Formation"],
        description="<p>Avec <script>x</script>Transiscope</p>",
    )
    assert event.origin == Event.Origin.PORTAL and event.feed is None and event.source is None
    assert event.start == datetime(2027, 3, 4, 8, 30, tzinfo=UTC)  # naive times are Paris times
    assert event.region == "76" and "<script" not in event.description
    again = upsert_portal_event(
        key="kits:session:1", title="Formation (complet)", start=event.start, end=event.end
    )
    assert again.pk == event.pk and Event.objects.count() == 1 and again.title == "Formation (complet)"
    assert visible_events().filter(pk=event.pk).exists()


def test_all_day_portal_event_with_inclusive_last_day():
    event = upsert_portal_event(
        key="anniversaire-2027",
        title="Anniversaire de Transiscope",
        start=date(2027, 9, 25),
        end=date(2027, 9, 26),
    )
    assert event.all_day
    assert event.start == datetime(2027, 9, 24, 22, tzinfo=UTC)
    assert event.end == datetime(2027, 9, 26, 22, tzinfo=UTC)


def test_remove_keeps_history_and_hides():
    event = upsert_portal_event(key="k", title="Réunion des sources", start=date(2030, 1, 10), end=None)
    assert remove_portal_event(key="k") == 1
    event.refresh_from_db()
    assert event.removed_at is not None
    assert not upcoming_events(start=date(2030, 1, 1)).filter(pk=event.pk).exists()
    # Publishing again brings it back.
    upsert_portal_event(key="k", title="Réunion des sources", start=date(2030, 1, 10), end=None)
    event.refresh_from_db()
    assert event.removed_at is None
