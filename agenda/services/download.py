"""Reading an agenda feed: over HTTP through `core.http.fetch` (the portal's one fetcher), or a shipped file.

Failures become `FeedUnavailable` with a one-line reason; nothing here raises anything else.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from core import http

DEMO_FEEDS_DIR = Path(__file__).resolve().parent.parent / "demo_feeds"
DEMO_PREFIX = "demo:"


def max_feed_bytes() -> int:
    return int(getattr(settings, "AGENDA_MAX_FEED_BYTES", 10 * 1024 * 1024))


class FeedUnavailable(Exception):
    """The feed could not be read; the message is one line meant for people.

    From the network, `reason` is one of `core.http`'s fixed messages (untranslated, safe to show to
    anyone) and `detail` what exactly failed, for the maintainers; otherwise `reason` is the message."""

    def __init__(self, message: str, *, reason: str = "", detail: str = ""):
        super().__init__(message)
        self.reason = reason or message
        self.detail = detail


@dataclass
class Fetched:
    content: bytes | None
    http_status: int | None = None
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False

    @property
    def bytes_read(self) -> int:
        return len(self.content or b"")


def is_http(location: str) -> bool:
    return location.lower().startswith(("http://", "https://", "webcal://"))


def fetch(*, location: str, etag: str = "", last_modified: str = "", allow_files: bool = False) -> Fetched:
    """Read `location`: an http(s)/webcal URL, `demo:<file>` (a feed shipped in agenda/demo_feeds/), or,
    only when `allow_files` (the operators' command), a local path."""
    location = location.strip()
    if is_http(location):
        return _fetch_http(url=location, etag=etag, last_modified=last_modified)
    if location.startswith(DEMO_PREFIX):
        name = location.removeprefix(DEMO_PREFIX)
        if not re.fullmatch(r"[\w-]+\.ics", name):
            raise FeedUnavailable(_("Flux de démonstration inconnu : %(name)s") % {"name": name})
        return _read_file(DEMO_FEEDS_DIR / name)
    if allow_files:
        return _read_file(Path(location))
    raise FeedUnavailable(_("Adresse non prise en charge : %(location)s") % {"location": location[:200]})


def _read_file(path: Path) -> Fetched:
    try:
        size = path.stat().st_size
        if size > max_feed_bytes():
            raise FeedUnavailable(_("Fichier trop gros (%(size)d octets).") % {"size": size})
        return Fetched(content=path.read_bytes())
    except OSError as error:
        raise FeedUnavailable(
            _("Fichier illisible : %(path)s (%(error)s)") % {"path": path, "error": error.strerror or error}
        ) from error


def _fetch_http(*, url: str, etag: str, last_modified: str) -> Fetched:
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    try:
        result = http.fetch(
            url=url,
            etag=etag,
            last_modified=last_modified,
            accept="text/calendar, */*;q=0.5",
            max_bytes=max_feed_bytes(),
            timeout=getattr(settings, "AGENDA_HTTP_TIMEOUT", None),
        )
    except http.FetchError as error:
        raise FeedUnavailable(str(error), reason=error.reason, detail=error.detail) from error
    return Fetched(
        content=None if result.not_modified else result.content,
        http_status=result.http_status,
        etag=result.etag,
        last_modified=result.last_modified,
        not_modified=result.not_modified,
    )
