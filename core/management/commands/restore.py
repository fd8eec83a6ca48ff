"""`manage.py restore archive`: put back the database and the media files of a backup (core.backup).

Stop the web server and the worker first; run `manage.py migrate` afterwards when the code is newer than
the backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restaure la base de données et les fichiers d’une sauvegarde (remplace l’existant)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, archive, interactive=True, **options):
        if interactive:
            answer = input("La base de données et les fichiers actuels seront remplacés. Taper « oui » : ")
            if answer.strip().lower() != "oui":
                raise CommandError("Restauration annulée.")
        try:
            manifest = restore(Path(archive))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored the backup of {manifest['created_at']} ({manifest['engine']}).")
