"""Public pages, outputs and moderation screens."""

from datetime import UTC, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

import icalendar
import pytest

from agenda.models import Event
from sources.models import ImportRun
from tests.agenda.conftest import ics
from tests.agenda.factories import AgendaFeedFactory, EventFactory, SourceFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_list_shows_coming_events_and_cancelled_ones_marked(client):
    EventFactory(title="Atelier vélo")
    EventFactory(title="Fête annulée", status=Event.Status.CANCELLED)
    EventFactory(
        title="Passé", start=timezone.now() - timedelta(days=3), end=timezone.now() - timedelta(days=3)
    )
    response = client.get(reverse("agenda:index"))
    assert response.status_code == 200
    assert "Atelier vélo" in response.text and "Passé" not in response.text
    assert "Annulé" in response.text and "Fête annulée" in response.text


def test_list_query_count_is_bounded(client, django_assert_max_num_queries):
    feeds = [AgendaFeedFactory() for _ in range(3)]
    for index in range(60):
        event = EventFactory(feed=feeds[index % 3], categories=["Atelier"])
        if index % 10 == 0:
            EventFactory(feed=feeds[(index + 1) % 3], duplicate_of=event, start=event.start)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("agenda:index"), {"territoire": "30"})
    assert response.status_code == 200 and response.text.count('<li class="agenda-event') == 30


def test_list_filters_by_query_string(client):
    EventFactory(title="Repair café", departement="30")
    EventFactory(title="Disco soupe", departement="69", region="84")
    response = client.get(reverse("agenda:index"), {"territoire": "R84"})
    assert "Disco soupe" in response.text and "Repair café" not in response.text
    response = client.get(reverse("agenda:index"), {"q": "repair", "du": "pas-une-date"})
    assert "Repair café" in response.text and "Disco soupe" not in response.text


def test_english_interface(client):
    EventFactory(title="Atelier vélo")
    response = client.get("/en/agenda/")
    assert response.status_code == 200 and 'lang="en"' in response.text
    assert "Transition events" in response.text and "Month view" in response.text  # needs compile_locales


def test_month_view_grid_with_multi_day_event(client, django_assert_max_num_queries):
    start = timezone.now().replace(day=10, hour=9) + timedelta(days=31)
    EventFactory(title="Festival", start=start, end=start + timedelta(days=2))
    for _index in range(30):
        EventFactory(start=start, end=start + timedelta(hours=1))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("agenda:month", kwargs={"year": start.year, "month": start.month}))
    assert response.status_code == 200
    assert response.text.count(">Festival<") == 3
    assert "<caption>" in response.text and 'scope="col"' in response.text
    assert client.get(reverse("agenda:month", kwargs={"year": 2027, "month": 13})).status_code == 404


def test_event_page_with_openstreetmap_links(client):
    geo = EventFactory(latitude=45.7745, longitude=4.832, description="<p>Entrée libre</p>")
    response = client.get(geo.get_absolute_url())
    assert "https://www.openstreetmap.org/?mlat=45.77450&amp;mlon=4.83200" in response.text
    assert "Entrée libre" in response.text and "heure de Paris" in response.text
    address = EventFactory(location="12 rue d'Austerlitz, 69004 Lyon")
    response = client.get(address.get_absolute_url())
    assert "https://www.openstreetmap.org/search?query=12+rue+d%27Austerlitz" in response.text


def test_event_page_times_in_paris(client):
    event = EventFactory(
        start=datetime(2027, 7, 1, 16, 0, tzinfo=UTC), end=datetime(2027, 7, 1, 18, 0, tzinfo=UTC)
    )
    response = client.get(event.get_absolute_url())
    assert "18:00 – 20:00" in response.text


def test_hidden_and_removed_events_are_not_found_but_staff_see_them(client):
    hidden = EventFactory(is_hidden=True)
    removed = EventFactory(removed_at=timezone.now())
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(removed.get_absolute_url()).status_code == 404
    client.force_login(UserFactory(staff=True))
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 200 and "pas visible du public" in response.text


def test_widget_can_be_framed_and_filters_by_source(client):
    source = SourceFactory(slug="colibris")
    EventFactory(title="Événement Colibris", feed=AgendaFeedFactory(source=source))
    EventFactory(title="Autre")
    response = client.get(reverse("agenda:widget"), {"source": "colibris"})
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert "Événement Colibris" in response.text and "Autre" not in response.text
    assert client.get(reverse("agenda:index")).headers["X-Frame-Options"] == "DENY"


def test_ics_output_of_a_filter(client):
    EventFactory(title="Repair café", departement="30", categories=["Réemploi"])
    EventFactory(title="Disco soupe", departement="69", region="84")
    all_day = EventFactory(title="Journée", all_day=True, departement="30")
    response = client.get("/agenda.ics", {"territoire": "30"})
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    titles = sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))
    assert titles == ["Journée", "Repair café"]
    journee = next(event for event in calendar.walk("VEVENT") if str(event["SUMMARY"]) == "Journée")
    assert journee.decoded("DTSTART") == timezone.localtime(all_day.start).date()


def test_rss_output(client):
    EventFactory(title="Repair café")
    EventFactory(title="Fête", status=Event.Status.CANCELLED)
    response = client.get("/agenda.rss", {"q": "repair"})
    assert response.status_code == 200 and "Repair café" in response.text and "Fête" not in response.text
    assert "ANNULÉ" in client.get("/agenda.rss").text


def valid_proposal(**overrides):
    data = {
        "title": "Grainothèque éphémère",
        "start_date": (timezone.localdate() + timedelta(days=5)).isoformat(),
        "start_time": "14:00",
        "end_time": "17:00",
        "location": "Médiathèque, 30000 Nîmes",
        "departement": "30000",
        "description": "Échange de graines.",
        "submitter_name": "Zoé",
        "submitter_email": "zoe@exemple.org",
    }
    return {**data, **overrides}


def test_propose_event_is_held_for_moderation_and_the_team_told(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    staff = UserFactory(staff=True, preferred_language="en")
    UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("agenda:propose"), valid_proposal())
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.review == Event.Review.PENDING and not event.all_day
    assert [message.to for message in mailoutbox] == [[staff.email]]
    assert "Event proposed for the agenda: Grainothèque" in mailoutbox[0].subject  # in their language
    assert "/agenda/moderation/" in mailoutbox[0].body
    assert "Grainothèque" not in client.get(reverse("agenda:index")).text


def test_propose_errors_are_tied_to_fields(client):
    response = client.post(reverse("agenda:propose"), valid_proposal(departement="99999", title=""))
    assert response.status_code == 200 and not Event.objects.exists()
    assert 'aria-describedby="id_departement_helptext id_departement_error"' in response.text
    assert 'id="id_departement_error"' in response.text and 'id="id_departement_helptext"' in response.text
    assert 'aria-invalid="true"' in response.text


def test_propose_honeypot(client):
    response = client.post(reverse("agenda:propose"), valid_proposal(site_web_entreprise="http://spam"))
    assert response.status_code == 200 and not Event.objects.exists()


def test_propose_rate_limit(client):
    for _index in range(5):
        client.post(reverse("agenda:propose"), valid_proposal())
    long_text = "Échange de graines, de boutures et de savoir-faire entre voisins, à la médiathèque."
    limited = client.post(reverse("agenda:propose"), valid_proposal(description=long_text))
    assert limited.status_code == 429
    assert Event.objects.count() == 5
    # What the person typed is shown back, so it is not lost; secrets are not.
    page = limited.content.decode()
    assert "savoir-faire entre voisins" in page and "readonly" in page
    assert "csrfmiddlewaretoken" not in page.split("<textarea", 1)[1]


def test_moderation_requires_staff(client):
    url = reverse("agenda:moderation")
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(staff=True))
    assert client.get(url).status_code == 200


def test_staff_hides_an_event_and_a_feed(client):
    event = EventFactory(title="Spam")
    client.force_login(UserFactory(staff=True))
    client.post(reverse("agenda:event_action", kwargs={"pk": event.pk}), {"action": "hide"})
    client.get(reverse("agenda:moderation"))  # shows (and consumes) the confirmation message
    assert ">Spam<" not in client.get(reverse("agenda:index")).text
    other = EventFactory(title="Flux entier")
    client.post(reverse("agenda:feed_action", kwargs={"pk": other.feed.pk}), {"action": "hide"})
    other.feed.refresh_from_db()
    client.get(reverse("agenda:moderation"))
    assert other.feed.is_hidden and ">Flux entier<" not in client.get(reverse("agenda:index")).text


def test_non_staff_cannot_moderate(client):
    event = EventFactory()
    client.force_login(UserFactory())
    response = client.post(reverse("agenda:event_action", kwargs={"pk": event.pk}), {"action": "hide"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert not event.is_hidden


def test_staff_approves_a_proposal(client):
    client.post(reverse("agenda:propose"), valid_proposal())
    event = Event.objects.get()
    client.force_login(UserFactory(staff=True))
    assert "Grainothèque" in client.get(reverse("agenda:moderation")).text
    client.post(reverse("agenda:event_action", kwargs={"pk": event.pk}), {"action": "approve"})
    assert "Grainothèque" in client.get(reverse("agenda:index")).text


def test_feed_preview_shows_without_storing_then_activation_imports(client, httpserver):
    body = ics("rdate.ics").replace(b"2027", str(timezone.localdate().year + 1).encode())
    httpserver.expect_request("/preview.ics").respond_with_data(body)
    feed = AgendaFeedFactory(url=httpserver.url_for("/preview.ics"), is_active=False)
    client.force_login(UserFactory(staff=True))
    response = client.get(reverse("agenda:feed_preview", kwargs={"pk": feed.pk}))
    assert response.status_code == 200 and response.text.count("Cycle de conférences climat") == 3
    assert not Event.objects.exists() and not ImportRun.objects.exists()
    with pytest.MonkeyPatch.context():
        client.post(reverse("agenda:feed_action", kwargs={"pk": feed.pk}), {"action": "activate"})
    feed.refresh_from_db()
    assert feed.is_active


def test_feed_preview_of_a_broken_feed(client, httpserver):
    httpserver.expect_request("/down.ics").respond_with_data("", status=500)
    feed = AgendaFeedFactory(url=httpserver.url_for("/down.ics"), is_active=False)
    client.force_login(UserFactory(staff=True))
    response = client.get(reverse("agenda:feed_preview", kwargs={"pk": feed.pk}))
    assert "500" in response.text and 'role="alert"' in response.text


def test_feeds_are_managed_in_wagtail_admin(client):
    feed = AgendaFeedFactory(name="Agenda Framagenda")
    client.force_login(UserFactory(staff=True))
    listing = client.get("/admin/snippets/agenda/agendafeed/")
    assert listing.status_code == 200 and "Agenda Framagenda" in listing.text
    assert client.get(f"/admin/snippets/agenda/agendafeed/edit/{feed.pk}/").status_code == 200
    assert client.get("/admin/snippets/agenda/agendafeed/add/").status_code == 200


def test_an_event_link_is_shown_only_when_http(client):
    """An ICS `URL` is an outsider's text: only http(s) becomes a link (issue 14)."""
    trap = EventFactory(title="Piège", url="javascript:alert(document.cookie)")
    good = EventFactory(title="Atelier", url="https://atelier.exemple.org/agenda")
    assert "javascript:" not in client.get(trap.get_absolute_url()).content.decode()
    assert 'href="https://atelier.exemple.org/agenda"' in client.get(good.get_absolute_url()).content.decode()
