"""The ambassador programme: application workflow, directory (opt-in fields only), relay, follow-up."""

from datetime import date, timedelta

from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

import pytest

from community import services
from community.models import AmbassadorApplication, AmbassadorExchange, AmbassadorProfile, ContactMessage
from community.selectors import ambassador_map, directory, inactive_ambassadors
from community.tasks import send_follow_up_reminders
from core.errors import Conflict
from tests.community.factories import AmbassadorProfileFactory, make_topic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_application_accept_gives_role_profile_and_mail(client, django_capture_on_commit_callbacks):
    candidate = UserFactory(display_name="Jeanne Candidate")
    staff = UserFactory(staff=True)
    client.force_login(candidate)
    response = client.post(
        reverse("community:ambassador_apply"),
        {
            "motivation": "Je connais tous les jardins partagés du Gard.",
            "territory": "30189",
            "themes": ["alimentation", "biodiversite"],
            "languages": ["fr", "oc"],
            "kind": "individual",
            "organisation": "Les Jardins",
        },
    )
    assert response.status_code == 302
    application = AmbassadorApplication.objects.get(user=candidate)
    assert application.status == "pending"
    assert any("Jeanne Candidate" in m.subject for m in mail.outbox)  # the team is told

    assert client.get(reverse("community:applications")).status_code == 403  # not staff
    client.force_login(staff)
    assert "Jeanne Candidate" in client.get(reverse("community:applications")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("community:application_review", args=[application.pk]),
            {"decision": "accept", "message": "Bienvenue Jeanne, on s'appelle la semaine prochaine."},
        )
    application.refresh_from_db()
    assert application.status == "accepted" and application.decided_by == staff
    assert candidate.groups.filter(name="ambassador").exists()
    profile = AmbassadorProfile.objects.get(user=candidate)
    assert (profile.departement, profile.region) == ("30", "76")
    assert profile.themes == ["alimentation", "biodiversite"] and profile.languages == ["fr", "oc"]
    message = mail.outbox[-1]
    assert message.to == [candidate.email] and "on s'appelle la semaine prochaine" in message.body


def test_application_decline_sends_message_and_no_role(django_capture_on_commit_callbacks):
    candidate = UserFactory()
    application = AmbassadorApplication.objects.create(
        user=candidate, motivation="x", territory="75", kind="individual", themes=[], languages=["fr"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.ambassador_application_decide(
            application=application,
            by=UserFactory(staff=True),
            accept=False,
            message="Pas encore, revenez en mars.",
        )
    assert not candidate.groups.filter(name="ambassador").exists()
    assert not AmbassadorProfile.objects.filter(user=candidate).exists()
    assert "revenez en mars" in mail.outbox[-1].body
    with pytest.raises(Conflict):
        services.ambassador_application_decide(application=application, by=None, accept=True)


def test_source_kind_requires_a_source(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("community:ambassador_apply"),
        {"motivation": "x", "territory": "30", "themes": ["energie"], "languages": ["fr"], "kind": "source"},
    )
    assert response.status_code == 200
    assert "Choisissez la source" in response.content.decode()


def test_directory_shows_only_opted_in_fields(client):
    shy = AmbassadorProfileFactory(
        user__display_name="Marc Discret",
        user__email="marc.discret@exemple.org",
        organisation="Association Secrète",
        bio="Ma vie, mon œuvre",
        show_organisation=False,
        show_bio=False,
    )
    open_ = AmbassadorProfileFactory(
        user__display_name="Lina Ouverte",
        organisation="Les Ouverts",
        bio="J'anime des ateliers.",
        show_organisation=True,
        show_bio=True,
    )
    hidden = AmbassadorProfileFactory(user__display_name="Absent Annuaire", show_in_directory=False)
    listing = client.get(reverse("community:ambassadors")).content.decode()
    assert "Marc Discret" in listing and "Lina Ouverte" in listing and "Absent Annuaire" not in listing
    assert "Association Secrète" not in listing and "Les Ouverts" in listing
    assert "marc.discret@exemple.org" not in listing
    detail = client.get(shy.get_absolute_url()).content.decode()
    assert "Association Secrète" not in detail and "Ma vie" not in detail and "marc.discret" not in detail
    detail = client.get(open_.get_absolute_url()).content.decode()
    assert "Les Ouverts" in detail and "J&#x27;anime des ateliers." in detail
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_directory_filters_and_map():
    gard = AmbassadorProfileFactory(departement="30", region="76", themes=["energie"], languages=["fr", "oc"])
    brest = AmbassadorProfileFactory(
        departement="29", region="53", themes=["mobilite"], languages=["fr", "br"], kind="source"
    )
    AmbassadorProfileFactory(departement="30", region="76", show_in_directory=False)
    assert list(directory(departement="30")) == [gard]
    assert list(directory(region="53")) == [brest]
    assert list(directory(theme="energie")) == [gard]
    assert list(directory(language="br")) == [brest]
    assert list(directory(kind="source")) == [brest]
    regions = {region["code"]: region for region in ambassador_map()}
    assert regions["76"]["count"] == 1 and regions["53"]["count"] == 1
    gard_tile = next(d for d in regions["76"]["departements"] if d["code"] == "30")
    assert gard_tile["count"] == 1


def test_contact_relay_hides_the_ambassador_address(client):
    profile = AmbassadorProfileFactory(user__email="cachee@exemple.org")
    response = client.post(
        profile.get_absolute_url(),
        {
            "sender_name": "Un Visiteur",
            "sender_email": "visiteur@exemple.org",
            "message": "Pouvez-vous venir ?",
        },
    )
    assert response.status_code == 302
    assert "cachee@exemple.org" not in client.get(response["Location"]).content.decode()
    message = mail.outbox[-1]
    assert message.to == ["cachee@exemple.org"]
    assert message.reply_to == ["visiteur@exemple.org"]
    assert "Pouvez-vous venir ?" in message.body
    assert ContactMessage.objects.filter(profile=profile).count() == 1


def test_contact_relay_has_honeypot_and_rate_limit(client):
    profile = AmbassadorProfileFactory()
    data = {
        "sender_name": "Robot",
        "sender_email": "r@exemple.org",
        "message": "spam",
        "site_web_entreprise": "x",
    }
    assert client.post(profile.get_absolute_url(), data).status_code == 200
    assert not mail.outbox
    cache.clear()  # the robot's attempt counted against the limit too
    del data["site_web_entreprise"]
    codes = [client.post(profile.get_absolute_url(), data).status_code for _n in range(6)]
    assert codes[:5] == [302] * 5 and codes[5] in (403, 429)
    assert len(mail.outbox) == 5


def test_inactivity_lists():
    now = timezone.now()
    recent = AmbassadorProfileFactory()
    recent.user.last_login = now - timedelta(days=10)
    recent.user.save()
    four_months = AmbassadorProfileFactory()
    four_months.user.last_login = now - timedelta(days=120)
    four_months.user.save()
    seven_months = AmbassadorProfileFactory()
    seven_months.user.last_login = now - timedelta(days=210)
    seven_months.user.save()
    never = AmbassadorProfileFactory()
    posted = AmbassadorProfileFactory()
    make_topic(author=posted.user)  # a forum post counts as activity
    assert {p.pk for p in inactive_ambassadors(months=3)} == {four_months.pk, seven_months.pk, never.pk}
    assert {p.pk for p in inactive_ambassadors(months=6)} == {seven_months.pk, never.pk}


def test_follow_up_page_and_reminder_sent_once(client):
    staff = UserFactory(staff=True)
    profile = AmbassadorProfileFactory(user__display_name="Sacha Suivi")
    client.force_login(staff)
    response = client.post(
        reverse("community:follow_up", args=[profile.pk]),
        {
            "kind": "call",
            "happened_on": "2026-11-02",
            "summary": "Point sur les salons",
            "next_contact_on": "2026-12-01",
        },
    )
    assert response.status_code == 302
    assert AmbassadorExchange.objects.get(profile=profile).by == staff
    profile.refresh_from_db()
    assert profile.next_contact_on == date(2026, 12, 1)
    assert services.follow_up_reminders_send(today=date(2026, 11, 30)) == 0
    assert services.follow_up_reminders_send(today=date(2026, 12, 1)) == 1
    assert mail.outbox[-1].to == [staff.email] and str(profile.user) in mail.outbox[-1].subject
    assert services.follow_up_reminders_send(today=date(2026, 12, 2)) == 0
    assert send_follow_up_reminders() == 0
    profile.next_contact_on = timezone.localdate()
    profile.save()
    listing = client.get(reverse("community:follow_up_list")).content.decode()
    assert "Sacha Suivi" in listing


def test_unavailable_with_replacement(client):
    profile = AmbassadorProfileFactory()
    replacement = AmbassadorProfileFactory(user__display_name="Rémi Remplaçant")
    client.force_login(profile.user)
    data = {
        "themes": ["alimentation"],
        "languages": ["fr"],
        "show_in_directory": "on",
        "unavailable_note": "Jusqu'en mai",
    }
    response = client.post(reverse("community:my_ambassador_space"), data)
    assert "Nommez la personne" in response.content.decode()
    response = client.post(reverse("community:my_ambassador_space"), {**data, "replacement": replacement.pk})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert not profile.is_available and profile.replacement == replacement
    assert "Rémi Remplaçant" in client.get(profile.get_absolute_url()).content.decode()


def test_own_space_has_pitch(client):
    profile = AmbassadorProfileFactory()
    client.force_login(profile.user)
    html = client.get(reverse("community:my_ambassador_space")).content.decode()
    assert "Le pitch de Transiscope" in html
    client.force_login(UserFactory())
    assert client.get(reverse("community:my_ambassador_space"))["Location"] == reverse(
        "community:ambassador_apply"
    )


def test_public_profile_shows_trainings_and_kits_only_with_the_ambassador_consent(client):
    """Issue 14: the privacy notice does not announce the learning record; it is public only by choice."""
    from wagtail.models import Page

    from kits.models import KitIndexPage
    from kits.services import kit_mark_done
    from tests.kits.factories import RegistrationFactory, TrainingSessionFactory, add_kit

    home = Page.objects.get(depth=2)
    index = KitIndexPage(title="Kits", slug="kits-test")
    home.add_child(instance=index)
    index.save_revision().publish()
    kit = add_kit(index, title="Présenter Transiscope en 10 minutes")
    profile = AmbassadorProfileFactory()
    kit_mark_done(user=profile.user, kit=kit)
    past = TrainingSessionFactory(kit=kit, title="Atelier pitch", start=timezone.now() - timedelta(days=5))
    RegistrationFactory(session=past, user=profile.user, attended=True)
    html = client.get(profile.get_absolute_url()).content.decode()
    assert "Formations suivies" not in html and "Atelier pitch" not in html
    assert "Présenter Transiscope en 10 minutes" not in html

    client.force_login(profile.user)
    html = client.get(reverse("community:my_ambassador_space")).content.decode()
    assert "Atelier pitch" in html and reverse("kits:index") in html  # always seen by the person herself
    assert 'name="show_learning"' in html and "Sans votre accord" in html
    services.ambassador_profile_update(profile=profile, show_learning=True)
    client.logout()
    html = client.get(profile.get_absolute_url()).content.decode()
    assert "Présenter Transiscope en 10 minutes" in html and "Atelier pitch" in html


def test_directory_filters_are_whole_list_elements_and_combine():
    both = AmbassadorProfileFactory(themes=["energie", "economie"], languages=["fr", "oc"], departement="30")
    AmbassadorProfileFactory(themes=["economie"], languages=["fr"], departement="30")
    AmbassadorProfileFactory(themes=["energie"], languages=["oc"], departement="34", region="76")
    AmbassadorProfileFactory(themes=[], languages=[], departement="30")
    assert list(directory(theme="energie", language="oc", departement="30")) == [both]
    assert list(directory(theme="energ")) == [] and list(directory(language="o")) == []
    assert directory(theme="economie").count() == 2 and directory(region="76").count() == 4


def test_directory_list_loads_only_what_it_may_show():
    AmbassadorProfileFactory(bio="Ma vie, mon œuvre", unavailable_note="En congé")
    profile = directory().get()
    assert {"bio", "unavailable_note", "next_contact_on"} <= profile.get_deferred_fields()
    assert "email" in profile.user.get_deferred_fields()


def test_directory_page_filters_and_pages_in_the_database(client, django_assert_max_num_queries):
    for n in range(3):
        AmbassadorProfileFactory(user__display_name=f"Énergie {n:02d}", themes=["energie"], languages=["oc"])
    AmbassadorProfileFactory(user__display_name="Autre thème", themes=["habitat"], languages=["oc"])
    url = reverse("community:ambassadors")
    filters = {"theme": "energie", "language": "oc"}
    client.get(url, filters)  # warm up per-process caches (site, settings)
    with django_assert_max_num_queries(20) as few:
        assert client.get(url, filters).status_code == 200
    for n in range(3, 60):
        AmbassadorProfileFactory(user__display_name=f"Énergie {n:02d}", themes=["energie"], languages=["oc"])
        AmbassadorProfileFactory(user__display_name=f"Habitat {n:02d}", themes=["habitat"], languages=["oc"])
    AmbassadorProfileFactory(user__display_name="Énergie sans occitan", themes=["energie"], languages=["fr"])
    AmbassadorProfileFactory(
        user__display_name="Énergie discrète", themes=["energie"], show_in_directory=False
    )
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(url, {**filters, "page": 2})
    # Every read of the profiles is a count, the map's GROUP BY, or one page: none loads them all.
    reads = [q["sql"] for q in many.captured_queries if '"community_ambassadorprofile"' in q["sql"]]
    assert reads and all("COUNT(" in sql or "GROUP BY" in sql or "LIMIT 24" in sql for sql in reads)
    assert any("LIMIT 24 OFFSET 24" in sql for sql in reads)
    html = response.content.decode()
    assert "60 ambassadeur·rices" in html
    page = response.context["page_obj"]
    assert page.number == 2 and page.paginator.num_pages == 3
    assert [p.user.display_name for p in page.object_list] == [f"Énergie {n:02d}" for n in range(24, 48)]
    assert "Habitat 0" not in html and "sans occitan" not in html and "discrète" not in html
    assert (
        "?theme=energie&amp;language=oc&amp;page=3" in html
        and "?theme=energie&amp;language=oc&amp;page=1" in html
    )
    last = client.get(url, {**filters, "page": 99}).context["page_obj"]
    assert last.number == 3 and len(last.object_list) == 12


def test_directory_with_bad_filter_says_so_and_lists_everyone(client):
    AmbassadorProfileFactory(user__display_name="Toujours Là")
    html = client.get(reverse("community:ambassadors"), {"theme": "<script>"}).content.decode()
    assert "Toujours Là" in html and 'class="field-error"' in html and "<script>" not in html
