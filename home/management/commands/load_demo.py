"""Fill the portal with realistic French demo content. Idempotent: running it twice changes nothing.

Each app registers its loader under `core.extensions.DEMO` in its `wagtail_hooks.py`; the hook's order is
the loading order (later apps use what earlier ones created: accounts, then pages, then sources...)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core import extensions


class Command(BaseCommand):
    help = "Charge le contenu de démonstration (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", help="Only these apps (default: all).")

    def handle(self, *args, only=None, **options):
        loaders = extensions.contributions(extensions.DEMO)
        if only:
            unknown = set(only) - {label for label, _load in loaders}
            if unknown:
                raise CommandError(f"No demo registered for: {', '.join(sorted(unknown))}.")
        for label, load in loaders:
            if only and label not in only:
                continue
            with transaction.atomic():
                load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
