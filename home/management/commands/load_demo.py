"""Fill the portal with realistic French demo content. Idempotent: running it twice changes nothing."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Order matters: later apps use what earlier ones created (accounts, then pages, then sources...).
DEMO_APPS = ["accounts", "home", "sources", "kits", "agenda", "community", "support", "stories", "newsletter"]


class Command(BaseCommand):
    help = "Charge le contenu de démonstration (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", help="Only these apps (default: all).")

    def handle(self, *args, only=None, **options):
        for app in DEMO_APPS:
            if only and app not in only:
                continue
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError:
                continue
            with transaction.atomic():
                module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
