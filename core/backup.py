"""Backup and restore of the whole portal: the database and the media files, in one .tar archive.

`dumpdata`/`loaddata` cannot do it (Wagtail's tree and revisions, wagtail-localize's sources and
translations, generic relations, content types and permissions numbered by the database): the database is
copied by its own tools instead, rows and sequences untouched.

- PostgreSQL: `pg_dump --format=custom` (consistent snapshot, online), restored with `pg_restore --clean
  --if-exists --no-owner` into the configured database (empty or not).
- SQLite: the sqlite3 online backup API (a consistent copy while the site runs), restored page by page into
  the configured file.
- Media: every file of the `default` storage (and of the `private` one when configured), read and written
  through the storage API, so local disk and S3 alike; stored under `media/` and `private/`.

Archive layout: `manifest.json` (format, engine, time, file counts), `database.pgdump` or
`database.sqlite3`, `media/…`, `private/…`.
"""

import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import storages
from django.db import connections

FORMAT = "transiscope-backup/1"
STORAGE_PREFIXES = {"default": "media", "private": "private"}


class BackupError(Exception):
    pass


def _engine(alias: str = "default") -> str:
    engine = connections[alias].settings_dict["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise BackupError(f"Unsupported database engine: {engine}")


def _pg_env_and_args(alias: str) -> tuple[dict, list[str]]:
    db = connections[alias].settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [option, str(db[key])]
    return env, [*args, "--dbname", db["NAME"]]


def _walk(storage, directory: str = ""):
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:  # a storage on disk nobody has written to yet (no private upload so far)
        return
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for sub in directories:
        yield from _walk(storage, f"{directory}/{sub}" if directory else sub)


def _storage_aliases() -> list[str]:
    return [alias for alias in STORAGE_PREFIXES if alias in settings.STORAGES]


def backup(output: Path, *, alias: str = "default") -> dict:
    """Write the archive to `output` and return its manifest."""
    engine = _engine(alias)
    manifest = {
        "format": FORMAT,
        "engine": engine,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": {},
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory() as workdir, tarfile.open(partial, "w") as archive:
        if engine == "postgresql":
            dump = Path(workdir) / "database.pgdump"
            env, args = _pg_env_and_args(alias)
            subprocess.run(  # noqa: S603
                ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), *args],  # noqa: S607
                env=env,
                check=True,
            )
        else:
            dump = Path(workdir) / "database.sqlite3"
            connection = connections[alias]
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            with target:
                connection.connection.backup(target)
            target.close()
        archive.add(dump, arcname=dump.name)
        for storage_alias in _storage_aliases():
            storage, prefix = storages[storage_alias], STORAGE_PREFIXES[storage_alias]
            count = 0
            for name in _walk(storage):
                with storage.open(name, "rb") as handle:
                    info = tarfile.TarInfo(f"{prefix}/{name}")
                    info.size = storage.size(name)
                    archive.addfile(info, handle)
                count += 1
            manifest["files"][storage_alias] = count
        data = json.dumps(manifest, indent=2).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        archive.addfile(info, fileobj=_bytes_io(data))
    partial.replace(output)  # a crash never leaves a truncated archive under the final name
    return manifest


def _bytes_io(data: bytes):
    import io

    return io.BytesIO(data)


def restore(archive_path: Path, *, alias: str = "default") -> dict:
    """Replace the database and the media files by the archive's. Returns the archive's manifest."""
    engine = _engine(alias)
    with tarfile.open(archive_path, "r") as archive, tempfile.TemporaryDirectory() as workdir:
        manifest = json.load(archive.extractfile("manifest.json"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Not a portal backup: {manifest.get('format')!r}")
        if manifest["engine"] != engine:
            raise BackupError(
                f"The backup is of a {manifest['engine']} database, this site uses {engine}: restore it "
                "on the same engine (then move the data with the database's own tools)."
            )
        connection = connections[alias]
        if engine == "postgresql":
            archive.extract("database.pgdump", workdir, filter="data")
            connection.close()
            env, args = _pg_env_and_args(alias)
            subprocess.run(  # noqa: S603
                [  # noqa: S607
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--exit-on-error",
                    *args,
                    str(Path(workdir) / "database.pgdump"),
                ],
                env=env,
                check=True,
            )
        else:
            archive.extract("database.sqlite3", workdir, filter="data")
            source = sqlite3.connect(Path(workdir) / "database.sqlite3")
            connection.ensure_connection()
            with source:
                source.backup(connection.connection)
            source.close()
            connection.close()
        for member in archive.getmembers():
            prefix, _, name = member.name.partition("/")
            storage_alias = next((a for a, p in STORAGE_PREFIXES.items() if p == prefix), None)
            if not member.isfile() or storage_alias is None or not name:
                continue
            if storage_alias not in settings.STORAGES:
                raise BackupError(
                    f"The backup holds {prefix}/ files but no {storage_alias!r} storage is set."
                )
            if ".." in Path(name).parts or name.startswith("/"):
                raise BackupError(f"Unsafe file name in the backup: {member.name!r}")
            storage = storages[storage_alias]
            if storage.exists(name):
                storage.delete(name)
            saved = storage.save(name, File(archive.extractfile(member), name=name))
            if saved != name:
                raise BackupError(f"{member.name} was restored as {saved}")
    return manifest
