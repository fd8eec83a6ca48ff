"""`manage.py backup [archive]`: the database and the media files in one archive (core.backup)."""

from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.backup import backup


class Command(BaseCommand):
    help = "Sauvegarde la base de données et les fichiers (médias) dans une archive .tar."

    def add_arguments(self, parser):
        parser.add_argument(
            "archive",
            nargs="?",
            help="Fichier à écrire (par défaut : var/backups/portal-AAAAMMJJ-HHMMSS.tar).",
        )

    def handle(self, *args, archive=None, **options):
        if archive:
            path = Path(archive)
        else:
            path = Path(settings.VAR_DIR) / "backups" / f"portal-{datetime.now():%Y%m%d-%H%M%S}.tar"
        manifest = backup(path)
        files = ", ".join(f"{alias}: {count}" for alias, count in manifest["files"].items()) or "none"
        self.stdout.write(f"{path} ({manifest['engine']} database; files {files})")
