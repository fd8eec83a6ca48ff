"""The operators' command `import_ics SOURCE_SLUG LOCATION [--window-start] [--window-end] [--json]`."""

import json

from django.core.management import call_command

import pytest

from agenda.models import AgendaFeed, Event
from sources.models import ImportRun
from tests.agenda.conftest import ICS_DIR

pytestmark = pytest.mark.django_db
WINDOW_ARGS = ["--window-start", "2027-01-01", "--window-end", "2028-01-01"]


def run_command(capsys, *args):
    code = 0
    try:
        call_command("import_ics", *args)
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def test_json_report_and_second_run_unchanged(source, capsys):
    path = str(ICS_DIR / "cancelled_instance.ics")
    code, out, _err = run_command(capsys, source.slug, path, *WINDOW_ARGS, "--json")
    first = json.loads(out)
    assert code == 0
    assert first["status"] == "completed"
    assert first["events_created"] == 4 and first["occurrences"] == 4 and first["events_cancelled"] == 2
    assert first["errors"] == []
    code, out, _err = run_command(capsys, source.slug, path, *WINDOW_ARGS, "--json")
    second = json.loads(out)
    assert second["events_unchanged"] == 4
    assert second["events_created"] == second["events_updated"] == second["events_removed"] == 0
    assert AgendaFeed.objects.get().is_active
    assert ImportRun.objects.filter(trigger=ImportRun.Trigger.COMMAND).count() == 2


def test_errors_status_lists_uid(source, capsys):
    code, out, _err = run_command(
        capsys, source.slug, str(ICS_DIR / "one_broken_vevent.ics"), *WINDOW_ARGS, "--json"
    )
    result = json.loads(out)
    assert code == 0 and result["status"] == "errors"
    assert [error["uid"] for error in result["errors"]] == ["casse@exemple.org"]
    assert result["events_created"] == 2


def test_url_location(source, serve_ics, capsys):
    code, out, _err = run_command(capsys, source.slug, serve_ics("rdate.ics"), *WINDOW_ARGS, "--json")
    assert code == 0 and json.loads(out)["events_created"] == 3


def test_failed_exits_1_with_one_line_and_no_traceback(source, capsys):
    code, out, err = run_command(capsys, source.slug, str(ICS_DIR / "not_ics.html"), "--json")
    assert code == 1
    assert json.loads(out)["status"] == "failed" and json.loads(out)["reason"]
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_missing_file_and_unknown_source(source, capsys):
    code, _out, err = run_command(capsys, source.slug, "/nulle/part.ics", "--json")
    assert code == 1 and len(err.strip().splitlines()) == 1
    code, _out, err = run_command(capsys, "inconnue", "/nulle/part.ics")
    assert code == 1 and "inconnue" in err and "Traceback" not in err


def test_bad_window(source, capsys):
    code, _out, err = run_command(capsys, source.slug, str(ICS_DIR / "rdate.ics"), "--window-start", "demain")
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert Event.objects.count() == 0


def test_text_output(source, capsys):
    code, out, _err = run_command(capsys, source.slug, str(ICS_DIR / "rdate.ics"), *WINDOW_ARGS)
    assert code == 0 and out.startswith("completed: 3 créés")
