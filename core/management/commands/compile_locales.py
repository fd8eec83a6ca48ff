"""Compile every .po file of the project into its .mo, in pure Python (polib), so a machine without
GNU gettext can run the portal. The .po files are the source of truth; .mo files are not committed."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

import polib

SKIP_PARTS = {".venv", "node_modules", "var", ".git"}


class Command(BaseCommand):
    help = "Compile les fichiers de traduction .po du projet en .mo (sans GNU gettext)."

    def handle(self, *args, **options):
        base = Path(settings.BASE_DIR)
        compiled = 0
        for po_path in sorted(base.rglob("locale/*/LC_MESSAGES/*.po")):
            if SKIP_PARTS.intersection(po_path.relative_to(base).parts):
                continue
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            compiled += 1
        self.stdout.write(f"{compiled} translation file(s) compiled.")
