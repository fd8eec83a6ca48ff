"""`python manage.py import_ics SOURCE_SLUG LOCATION [--window-start] [--window-end] [--json]`

Runs the same import as the schedule for one ICS feed of a source (created, active, on first use) and
stores the result. Exit 0 when the run completed (with or without errors), 1 when it failed, with one
line on stderr; never a traceback.
"""

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from sources.models import ImportRun, Source

from ...models import AgendaFeed
from ...services.imports import import_feed


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Date invalide (AAAA-MM-JJ attendu) : {value}") from error


class Command(BaseCommand):
    help = "Importe un flux ICS (adresse ou fichier) dans l'agenda d'une source."

    def add_arguments(self, parser):
        parser.add_argument("source_slug")
        parser.add_argument("location", help="Adresse http(s) ou chemin d'un fichier .ics")
        parser.add_argument("--window-start", type=str, default=None, help="AAAA-MM-JJ (défaut : hier)")
        parser.add_argument("--window-end", type=str, default=None, help="AAAA-MM-JJ (défaut : dans un an)")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Un objet JSON sur stdout")

    def handle(self, *args, source_slug, location, window_start, window_end, as_json, **options):
        try:
            return self._import(source_slug, location, window_start, window_end, as_json)
        except CommandError as error:
            self.stderr.write(" ".join(str(error).split()))
            sys.exit(1)
        except Exception as error:  # the operators' contract: one line, never a traceback
            self.stderr.write(f"Échec inattendu : {type(error).__name__}: {' '.join(str(error).split())[:300]}")
            sys.exit(1)

    def _import(self, source_slug, location, window_start, window_end, as_json):
        source = Source.objects.filter(slug=source_slug).first()
        if source is None:
            raise CommandError(f"Source inconnue : {source_slug}")
        start = _date(window_start) if window_start else None
        end = _date(window_end) if window_end else None
        if start and end and end <= start:
            raise CommandError("--window-end doit être après --window-start")
        feed, _created = AgendaFeed.objects.get_or_create(
            source=source, url=location[:1000], defaults={"is_active": True, "territory": source.territory}
        )
        run = import_feed(
            feed=feed,
            trigger=ImportRun.Trigger.COMMAND,
            window_start=start,
            window_end=end,
            allow_files=True,
            conditional=False,
        )
        counters = run.counters
        result = {
            "status": run.state,
            "source": source.slug,
            "feed_id": feed.pk,
            "run_id": run.pk,
            **{
                key: counters.get(key, 0)
                for key in (
                    "events_created",
                    "events_updated",
                    "events_unchanged",
                    "events_removed",
                    "events_cancelled",
                    "occurrences",
                )
            },
            "errors": [
                {"uid": error.element_id, "position": error.position, "message": error.message}
                for error in run.errors.all()
            ],
        }
        if run.state == ImportRun.State.FAILED:
            result["reason"] = run.reason
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(
                f"{result['status']}: {result['events_created']} créés, {result['events_updated']} modifiés, "
                f"{result['events_unchanged']} inchangés, {result['events_removed']} retirés, "
                f"{result['occurrences']} occurrences, {len(result['errors'])} erreurs"
            )
        if run.state == ImportRun.State.FAILED:
            self.stderr.write(run.reason or "échec")
            sys.exit(1)
