"""Reading an agenda feed: over HTTP (timeout, size limit, User-Agent, conditional GET), or a shipped file.

Failures become `FeedUnavailable` with a one-line reason; nothing here raises anything else.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

import requests

DEMO_FEEDS_DIR = Path(__file__).resolve().parent.parent / "demo_feeds"
DEMO_PREFIX = "demo:"


def max_feed_bytes() -> int:
    return int(getattr(settings, "AGENDA_MAX_FEED_BYTES", 10 * 1024 * 1024))


class FeedUnavailable(Exception):
    """The feed could not be read; the message is one line meant for people."""


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
    headers = {"User-Agent": settings.PORTAL_HTTP_USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = float(getattr(settings, "AGENDA_HTTP_TIMEOUT", settings.PORTAL_HTTP_TIMEOUT))
    limit = max_feed_bytes()
    try:
        with requests.get(url, headers=headers, timeout=timeout, stream=True, allow_redirects=True) as response:
            if response.status_code == 304:
                return Fetched(content=None, http_status=304, etag=etag, last_modified=last_modified, not_modified=True)
            if response.status_code >= 400:
                raise FeedUnavailable(
                    _("Le serveur a répondu %(status)s %(reason)s.")
                    % {"status": response.status_code, "reason": response.reason or ""}
                )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FeedUnavailable(_("Flux trop gros : plus de %(limit)d octets.") % {"limit": limit})
            chunks, size = [], 0
            for chunk in response.iter_content(chunk_size=64 * 1024):
                size += len(chunk)
                if size > limit:
                    raise FeedUnavailable(_("Flux trop gros : plus de %(limit)d octets.") % {"limit": limit})
                chunks.append(chunk)
            return Fetched(
                content=b"".join(chunks),
                http_status=response.status_code,
                etag=response.headers.get("ETag", "")[:300],
                last_modified=response.headers.get("Last-Modified", "")[:100],
            )
    except requests.Timeout as error:
        raise FeedUnavailable(_("Le serveur n'a pas répondu à temps (%(timeout)s s).") % {"timeout": timeout}) from error
    except requests.RequestException as error:
        raise FeedUnavailable(
            _("Téléchargement impossible : %(error)s") % {"error": type(error).__name__}
        ) from error
