"""The set-up steps of a release, in one process (each `manage.py` start costs seconds): compiled
translations, collected static files, migrations, the database cache table. Run by `bin/serve`."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

STEPS = [
    ("compile_locales", {}),
    ("collectstatic", {"interactive": False, "verbosity": 0}),
    ("migrate", {"interactive": False, "verbosity": 1}),
    ("createcachetable", {}),
]


class Command(BaseCommand):
    help = "Prépare une version : traductions compilées, fichiers statiques, migrations, table du cache."

    def handle(self, *args, **options):
        for name, step_options in STEPS:
            self.stderr.write(f"prepare: {name}")
            call_command(name, **step_options)
