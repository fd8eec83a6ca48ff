"""`manage.py backup` / `restore`: a backup restored into an empty database serves the same pages,
Wagtail's tree, revisions and wagtail-localize translations included, and puts the media files back."""

import re
import shutil
from pathlib import Path

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Locale, Page

import pytest

from home.models import StandardPage
from tests.factories import ensure_home_page


def _translate(page, locale):
    from wagtail_localize.models import Translation, TranslationSource

    source, _created = TranslationSource.get_or_create_from_instance(page.specific)
    Translation.objects.create(source=source, target_locale=locale).save_target(publish=True)
    return page.get_translation(locale)


def _empty_the_database():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    else:
        # SQLite's backup API copies an empty database over it, through SQLite's own locking: other
        # connections to the file (a browser test's live server thread) stay valid, unlike a truncated file.
        import sqlite3

        connection.ensure_connection()
        empty = sqlite3.connect(":memory:")
        empty.backup(connection.connection)
        empty.close()
    assert "wagtailcore_page" not in connection.introspection.table_names()


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restored_into_an_empty_database_serves_the_same_pages_and_files(client, settings, tmp_path):
    home = ensure_home_page()
    english = Locale.objects.get_or_create(language_code="en")[0]
    image = Image.objects.create(title="Marché", file=get_test_image_file())
    page = StandardPage(
        title="À propos",
        slug="a-propos",
        introduction="Une carte commune.",
        body=[("image", {"image": image, "alt": "Des étals", "caption": "Le marché", "credit": "Zoé"})],
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    english_home = _translate(home, english)
    english_page = _translate(page, english)
    urls = ["/", page.url, english_home.url, english_page.url]
    before = [_page(client, url) for url in urls]
    assert b"Une carte commune." in before[1]
    media_root = Path(settings.MEDIA_ROOT)
    media_files = sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file())
    assert any(name.startswith("images/") for name in media_files)  # the rendition the page showed
    counts = (Page.objects.count(), english_page.revisions.count())
    archive = tmp_path / "backup.tar"

    call_command("backup", str(archive))
    _empty_the_database()
    shutil.rmtree(media_root)
    cache.clear()
    call_command("restore", str(archive), interactive=False)
    cache.clear()

    assert [_page(client, url) for url in urls] == before
    assert sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()) == media_files
    assert (Page.objects.count(), english_page.revisions.count()) == counts
    assert Image.objects.get().file.read() == get_test_image_file().file.getvalue()
