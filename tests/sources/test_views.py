"""Pages: the dashboard's permission matrix and content, the errors CSV, the staff overview, status JSON."""

from django.urls import reverse

import pytest

from sources.models import ImportRun, Report, RunError
from tests.factories import UserFactory
from tests.sources.factories import ImportRunFactory, ReportFactory, SourceElementFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sources():
    maintainer_a = UserFactory(roles=["source_maintainer"])
    maintainer_b = UserFactory(roles=["source_maintainer"])
    return (
        SourceFactory(slug="source-a", maintainers=[maintainer_a]),
        SourceFactory(slug="source-b", maintainers=[maintainer_b]),
        maintainer_a,
        maintainer_b,
    )


def test_dashboard_permission_matrix(client, two_sources):
    source_a, source_b, maintainer_a, _maintainer_b = two_sources
    url_a, url_b = source_a.get_absolute_url(), source_b.get_absolute_url()
    csv_b = reverse("sources:errors_csv", kwargs={"slug": "source-b"})

    assert client.get(url_a).status_code == 302  # anonymous: sign in first
    assert client.get(csv_b).status_code == 302

    client.force_login(maintainer_a)
    assert client.get(url_a).status_code == 200
    assert client.get(url_b).status_code == 403  # maintainer of A cannot see B
    assert client.get(csv_b).status_code == 403
    assert client.get(reverse("sources:overview")).status_code == 403
    report_b = ReportFactory(source=source_b)
    status_b = reverse("sources:report_status", kwargs={"slug": "source-b", "pk": report_b.pk})
    assert client.post(status_b, {"status": "rejected"}).status_code == 403
    report_b.refresh_from_db()
    assert report_b.status == "new"

    client.force_login(UserFactory())  # a member without any source
    assert client.get(url_a).status_code == 403

    client.force_login(UserFactory(staff=True))
    assert client.get(url_a).status_code == 200
    assert client.get(url_b).status_code == 200
    assert client.get(reverse("sources:overview")).status_code == 200
    assert client.get(reverse("sources:dashboard", kwargs={"slug": "nope"})).status_code == 404


def test_the_equipe_role_is_the_team_for_sources_too(client, two_sources):
    """Issue 13: sources looked at is_staff only, so the Équipe role got 403 on the overview and
    dashboards, and the sources list hid the overview link from it."""
    _source_a, source_b, _maintainer_a, _maintainer_b = two_sources
    overview = reverse("sources:overview")
    client.force_login(UserFactory(roles=["staff"]))
    assert client.get(overview).status_code == 200
    assert client.get(source_b.get_absolute_url()).status_code == 200
    assert overview in client.get(reverse("sources:index")).content.decode()
    client.force_login(UserFactory(roles=["source_maintainer"]))
    assert overview not in client.get(reverse("sources:index")).content.decode()


def test_dashboard_shows_state_chart_errors_runs_of_both_kinds_and_reports(client, two_sources):
    source, _other, maintainer, _maintainer_b = two_sources
    for n in range(3):
        ImportRunFactory(source=source, counters={"elementsCount": 10 + n, "elementsErrorsCount": n})
    last = ImportRunFactory(
        source=source,
        state="errors",
        level="warning",
        counters={"elementsCount": 120, "elementsErrorsCount": 60, "errorMessages": {"Nom manquant": 60}},
        changes={
            "duplicates": [["id-a", "id-b", source.pk, "name"]],
            "format": "csv",
            "mapping": {"id": "code"},
        },
    )
    RunError.objects.bulk_create(
        [RunError(run=last, position=n, element_id=f"id-{n}", message="Nom manquant") for n in range(60)]
    )
    ImportRunFactory(
        source=source, kind=ImportRun.Kind.AGENDA, state="failed", level="error", reason="ICS illisible"
    )
    ReportFactory(source=source, element_name="La Cagette", comment="Fermée le lundi")
    client.force_login(maintainer)

    page = client.get(source.get_absolute_url()).content.decode()

    assert "<svg" in page and '<title id="chart-title">' in page
    assert "Éléments inutilisables" in page and "elementsErrorsCount" in page  # label + GoGoCarto's name
    assert "Télécharger les 60 erreurs (CSV)" in page
    assert "page 1 sur 2" in page
    assert "import d&#x27;agenda" in page and "ICS illisible" in page
    assert "Fermée le lundi" in page
    assert "même nom à moins de 200 m" in page and "id-a ↔ id-b" in page
    page2 = client.get(source.get_absolute_url() + "?page=2").content.decode()
    assert "id-59" in page2

    response = client.get(reverse("sources:errors_csv", kwargs={"slug": source.slug}))
    rows = response.content.decode().strip().splitlines()
    assert rows[0] == "position,identifiant,etape,message"
    assert len(rows) == 61  # every error, not cut


def test_maintainer_resolves_a_report_from_the_dashboard(client, two_sources):
    source, _other, maintainer, _maintainer_b = two_sources
    report = ReportFactory(source=source, reporter_email="zoe@exemple.org")
    client.force_login(maintainer)
    url = reverse("sources:report_status", kwargs={"slug": source.slug, "pk": report.pk})
    client.post(url, {"status": "fixed", "message": "Corrigé dans notre base."})
    report.refresh_from_db()
    assert (report.status, report.resolved_by) == (Report.Status.FIXED, maintainer)
    assert report.reporter_notified_at is not None


def test_alert_preference_is_saved(client, user):
    client.force_login(user)
    client.post(reverse("sources:alert_preference"), {"mode": "daily_digest", "next": "/sources/"})
    assert user.source_alert_preference.mode == "daily_digest"


def test_staff_overview_sorted_by_health_with_few_queries(client, django_assert_max_num_queries):
    healthy = SourceFactory(name="Aaa en forme")
    failing = SourceFactory(name="Zzz en panne")
    ImportRunFactory(source=healthy)
    ImportRunFactory(source=failing, state="failed", level="error")
    for _n in range(30):
        source = SourceFactory()
        ImportRunFactory(source=source)
        SourceElementFactory(source=source)
    client.force_login(UserFactory(staff=True))
    with django_assert_max_num_queries(16):
        page = client.get(reverse("sources:overview")).content.decode()
    assert page.index("Zzz en panne") < page.index("Aaa en forme")
    page = client.get(reverse("sources:overview") + "?tri=nom").content.decode()
    assert page.index("Aaa en forme") < page.index("Zzz en panne")


def test_public_index_and_status_json(client, django_assert_max_num_queries):
    source = SourceFactory(name="Colibris", map_elements_count=3)
    SourceElementFactory(source=source)
    ImportRunFactory(source=source, counters={"elementsCount": 1, "elementsErrorsCount": 0})
    for _n in range(20):
        SourceFactory()
    with django_assert_max_num_queries(10):
        assert "Colibris" in client.get(reverse("sources:index")).content.decode()
    data = client.get(reverse("sources_api:status", kwargs={"slug": source.slug})).json()
    assert data["lastCheck"]["state"] == "completed"
    assert data["lastCheck"]["counters"]["elementsCount"] == 1
    assert (data["elementsInFeed"], data["elementsOnMap"]) == (1, 3)
    assert "report_token" not in str(data) and source.report_token not in str(data)


def test_check_now_runs_a_check_for_maintainers_only(client, two_sources, serve_feed):
    source, other, maintainer, _maintainer_b = two_sources
    source.feed_url = serve_feed(
        '[{"id": "1", "name": "La Cagette", "lat": 43.6, "lng": 3.8, "tags": "Vélo"}]'
    )
    source.save()
    client.force_login(maintainer)
    assert client.post(reverse("sources:check_now", kwargs={"slug": other.slug})).status_code == 403
    response = client.post(reverse("sources:check_now", kwargs={"slug": source.slug}))
    assert response.status_code == 302
    run = source.runs.get()
    assert (run.trigger, run.state) == ("manual", "completed")
