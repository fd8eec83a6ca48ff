"""The same event from two sources: merged when sure, sent to moderation when not."""

from django.urls import reverse

import pytest

from agenda.models import DuplicateCandidate, Event
from agenda.selectors import visible_events
from agenda.services.duplicates import decide, title_similarity
from agenda.services.imports import import_feed_content
from tests.agenda.factories import AgendaFeedFactory, SourceFactory

pytestmark = pytest.mark.django_db


def calendar(summary, location, uid):
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTART;TZID=Europe/Paris:20270515T140000\r\nDTEND;TZID=Europe/Paris:20270515T170000\r\n"
        f"SUMMARY:{summary}\r\nLOCATION:{location}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def import_into(source_slug, body, window):
    feed = AgendaFeedFactory(source=SourceFactory(slug=source_slug, name=source_slug.title()))
    return import_feed_content(feed=feed, content=body, **window)


def test_title_similarity_ignores_case_accents_and_punctuation():
    assert title_similarity("Fête des Récoltes !", "fete des recoltes") == 1.0
    assert title_similarity("Fête des récoltes", "Conférence climat") < 0.6


def test_same_start_close_title_same_place_is_merged_with_co_organisers(window, client):
    import_into(
        "colibris", calendar("Fête des récoltes", "Jardin partagé, 30000 Nîmes", "a@colibris"), window
    )
    run = import_into(
        "amap", calendar("Fete des recoltes !", "Jardin partagé - 30000 Nîmes", "b@amap"), window
    )
    assert run.counters["duplicates_merged"] == 1
    first, second = Event.objects.order_by("pk")
    assert second.duplicate_of == first
    assert list(visible_events()) == [first]
    response = client.get(reverse("agenda:event", kwargs={"pk": first.pk}))
    assert "Colibris" in response.text and "Amap" in response.text and "Co-organisé par" in response.text
    # The copy's own page leads to the shown event.
    assert client.get(second.get_absolute_url()).url == first.get_absolute_url()
    # Filtering on the co-organising source finds the shown event.
    assert list(visible_events().filter(pk=first.pk)) == [first]


def test_close_title_other_place_goes_to_moderation_not_merged(window):
    import_into("colibris", calendar("Fête des récoltes", "Jardin partagé, 30000 Nîmes", "a@c"), window)
    run = import_into("amap", calendar("Fête des récoltes", "Parc, 34000 Montpellier", "b@a"), window)
    assert run.counters["duplicates_merged"] == 0 and run.counters["duplicates_to_review"] == 1
    candidate = DuplicateCandidate.objects.get()
    assert candidate.state == DuplicateCandidate.State.PENDING
    assert visible_events().count() == 2


def test_moderator_decides_same(window, staff_user):
    import_into("colibris", calendar("Fête des récoltes", "Jardin partagé, 30000 Nîmes", "a@c"), window)
    import_into(
        "amap", calendar("Grande fête des récoltes d'automne", "Jardin partagé, 30000 Nîmes", "b@a"), window
    )
    candidate = DuplicateCandidate.objects.get()
    decide(candidate=candidate, same=True, by=staff_user)
    assert visible_events().count() == 1
    candidate.refresh_from_db()
    assert candidate.state == DuplicateCandidate.State.MERGED and candidate.decided_by == staff_user


def test_distinct_decision_is_not_asked_again(window, staff_user):
    import_into("colibris", calendar("Fête des récoltes", "Jardin, 30000 Nîmes", "a@c"), window)
    import_into("amap", calendar("Fête des récoltes", "Parc, 34000 Montpellier", "b@a"), window)
    decide(candidate=DuplicateCandidate.objects.get(), same=False, by=staff_user)
    feed = Event.objects.get(uid="b@a").feed
    import_feed_content(
        feed=feed, content=calendar("Fête des récoltes 2", "Parc, 34000 Montpellier", "b@a"), **window
    )
    assert DuplicateCandidate.objects.count() == 1
    assert visible_events().count() == 2


def test_same_source_is_never_a_duplicate(window):
    body = calendar("Fête", "Jardin, 30000 Nîmes", "a@c").replace(
        "END:VCALENDAR",
        calendar("Fête", "Jardin, 30000 Nîmes", "b@c").split("VERSION:2.0\r\nPRODID:x\r\n")[1],
    )
    run = import_into("colibris", body.replace("END:VCALENDAR\r\nEND:VCALENDAR", "END:VCALENDAR"), window)
    assert run.counters["duplicates_merged"] == 0 and DuplicateCandidate.objects.count() == 0


def test_different_titles_are_left_alone(window):
    import_into("colibris", calendar("Fête des récoltes", "Jardin, 30000 Nîmes", "a@c"), window)
    run = import_into("amap", calendar("Assemblée générale", "Jardin, 30000 Nîmes", "b@a"), window)
    assert run.counters["duplicates_to_review"] == 0 and run.counters["duplicates_merged"] == 0
