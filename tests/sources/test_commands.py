"""The operators' commands: source_add and check_source_feed (JSON output and exit codes)."""

import json
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from sources.models import Source
from tests.factories import UserFactory
from tests.sources.conftest import gogocarto_export, record

pytestmark = pytest.mark.django_db


def run_command(*args):
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_source_add_creates_then_updates_and_prints_json():
    UserFactory(email="ines@colibris.example")
    _code, out, _err = run_command(
        "source_add",
        "colibris",
        "--name",
        "Colibris",
        "--source-key",
        "Colibris",
        "--feed-url",
        "https://colibris.example/flux.json",
        "--maintainer",
        "ines@colibris.example",
        "--json",
    )
    data = json.loads(out)
    source = Source.objects.get(slug="colibris")
    assert data["created"] is True
    assert data["report_webhook_url"].endswith(f"/api/sources/colibris/signalements/{source.report_token}/")
    assert data["maintainers"] == ["ines@colibris.example"]
    assert source.maintainers.get().has_role("source_maintainer")

    _code, out, _err = run_command(
        "source_add",
        "colibris",
        "--name",
        "Colibris (carte)",
        "--source-key",
        "Colibris",
        "--feed-url",
        "https://colibris.example/flux.csv",
        "--format",
        "csv",
        "--json",
    )
    data = json.loads(out)
    assert data["created"] is False and data["format"] == "csv"
    assert Source.objects.get().name == "Colibris (carte)"


def test_source_add_refuses_unknown_maintainer():
    with pytest.raises(CommandError, match="Aucun compte"):
        call_command(
            "source_add",
            "x",
            "--name",
            "X",
            "--source-key",
            "X",
            "--feed-url",
            "https://x.example/f",
            "--maintainer",
            "nobody@x.example",
        )


def test_check_source_feed_json_and_exit_codes(serve_feed):
    url = serve_feed(
        gogocarto_export([record("1"), record("2", "Deux", lat=None, lng=None), {"name": "sans id"}])
    )
    call_command(
        "source_add",
        "reseau",
        "--name",
        "Réseau",
        "--source-key",
        "Reseau",
        "--feed-url",
        url,
        stdout=StringIO(),
    )

    code, out, err = run_command("check_source_feed", "reseau", "--json")
    data = json.loads(out)
    assert code == 0 and err == ""
    assert (data["state"], data["level"]) == ("errors", "error")
    for name, value in {
        "elementsCount": 3,
        "elementsErrorsCount": 1,
        "elementsMissingGeoCount": 1,
        "elementsMissingTaxoCount": 0,
        "elementsCreatedCount": 2,
        "elementsUpdatedCount": 0,
        "elementsNothingToDoCount": 0,
        "elementsDeletedCount": 0,
        "potentialDuplicatesCount": 0,
    }.items():
        assert data[name] == value, name
    assert data["errorMessages"] == {"Identifiant manquant": 1}

    serve_feed("{pas du json", path="/flux.json")
    code, out, err = run_command("check_source_feed", "reseau", "--json")
    assert code == 1
    assert json.loads(out)["state"] == "failed"
    assert err.strip().startswith("JSON invalide") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_check_source_feed_unknown_slug():
    with pytest.raises(CommandError, match="Aucune source"):
        call_command("check_source_feed", "inconnue")


def test_source_add_refuses_a_maintainer_whose_address_is_not_verified():
    from tests.factories import UserFactory

    UserFactory(email="pas-verifie@x.example", verified=False)
    with pytest.raises(CommandError, match="Aucun compte avec l'adresse vérifiée"):
        call_command(
            "source_add",
            "x",
            "--name",
            "X",
            "--source-key",
            "X",
            "--feed-url",
            "https://x.example/f",
            "--maintainer",
            "pas-verifie@x.example",
        )
    assert not Source.objects.filter(slug="x", maintainers__email="pas-verifie@x.example").exists()
