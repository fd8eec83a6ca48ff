"""Check a source's feed now, through the same code as the scheduled checks."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from sources.models import ImportRun, Source
from sources.services.checks import COUNTER_NAMES, check_source


class Command(BaseCommand):
    help = "Vérifie maintenant le flux d'une source. Code 0 : completed/errors ; 1 : failed."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, slug, **options):
        source = Source.objects.filter(slug=slug).first()
        if source is None:
            raise CommandError(f"Aucune source « {slug} »")
        run = check_source(source=source, trigger=ImportRun.Trigger.COMMAND)
        counters = run.counters or {}
        if options["json"]:
            payload = {
                "source": source.slug,
                "run": run.pk,
                "state": run.state,
                "level": run.level,
                "notModified": run.not_modified,
                "reason": run.reason,
                "httpStatus": run.http_status,
                **{name: counters.get(name, 0) for name in COUNTER_NAMES},
                "errorMessages": counters.get("errorMessages", {}),
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
        else:
            self.stdout.write(
                f"{source.slug}: {run.state} ({run.level})"
                + (" — inchangé (304)" if run.not_modified else "")
            )
            for name in COUNTER_NAMES:
                self.stdout.write(f"  {name}: {counters.get(name, 0)}")
            for message, occurrences in counters.get("errorMessages", {}).items():
                self.stdout.write(f"  {occurrences} × {message}")
        if run.state == ImportRun.State.FAILED:
            self.stderr.write(run.reason or "échec")
            sys.exit(1)
