"""Index every findable object again: `manage.py search_rebuild [--type alternative ...]`."""

import sys

from django.core.management.base import BaseCommand

from search import services
from search.indexers import REGISTRY


class Command(BaseCommand):
    help = "Reconstruit l'index de recherche (tout, ou les types donnés)."

    def add_arguments(self, parser):
        parser.add_argument("--type", action="append", choices=sorted(REGISTRY), dest="types")

    def handle(self, *args, types=None, **options):
        interactive = self.stdout.isatty() if hasattr(self.stdout, "isatty") else sys.stdout.isatty()

        def progress(doc_type: str, done: int, total: int) -> None:
            width = 30
            filled = width * done // total if total else width
            line = f"{doc_type:<12} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
            if interactive:
                self.stdout.write(f"\r{line}", ending="")
                if done >= total:
                    self.stdout.write("")
            elif done >= total:
                self.stdout.write(line)

        count = services.rebuild(doc_types=types, on_progress=progress)
        self.stdout.write(self.style.SUCCESS(f"{count} documents indexés."))
