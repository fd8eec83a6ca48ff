"""Potential duplicates, found the way GoGoCarto finds them, in linear time.

Two records are a potential duplicate pair when they lie within 200 m of each other and have the same
slugified name, or when they share an e-mail address or a website. Points are put in a grid of 200 m
cells, so each record is compared only with the records of its own and the 8 neighbouring cells that
carry the same name: the work grows with the number of records, not with its square.

An e-mail or website shared by more than `SHARED_CONTACT_LIMIT` records is a network's common address
(a federation's site, a national inbox), not a sign of duplication: it is left out.

The comparison keys (`name_key`, `email_key`, `website_key`) are also stored on each `SourceElement`,
cut to `KEY_LENGTH` characters so that their indexes stay small (see `stored_keys`): a check fetches
only the other sources' elements that share a key with its own records, instead of reading them all.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.text import slugify

RADIUS_METRES = 200.0
SHARED_CONTACT_LIMIT = 10
METRES_PER_DEGREE = 111_320.0
# Stored keys are cut to this many characters (at most 800 bytes of UTF-8: far below PostgreSQL's limit
# for a B-tree entry, whatever a feed holds). A stored key shorter than this is the whole key.
KEY_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Candidate:
    """What duplicate detection needs to know about a record. `key` is (source id or 0, element id);
    `name_slug`, `email_key` and `website_key` are the whole keys, "" when the record has none."""

    key: tuple
    name_slug: str
    latitude: float | None
    longitude: float | None
    email_key: str
    website_key: str


def normalise_website(value: str) -> str:
    value = value.strip().lower()
    for prefix in ("https://", "http://"):
        value = value.removeprefix(prefix)
    return value.removeprefix("www.").rstrip("/")


def name_key(name: str) -> str:
    return slugify(name)


def email_key(email: str) -> str:
    """The e-mail as compared ("" when it is not an address)."""
    return email.strip().lower() if "@" in email else ""


def website_key(website: str) -> str:
    return normalise_website(website) if website else ""


def stored_keys(*, name: str, email: str, website: str) -> tuple[str, str, str]:
    """(name_slug, email_key, website_key) as stored on a `SourceElement`: cut to `KEY_LENGTH`."""
    return (
        name_key(name)[:KEY_LENGTH],
        email_key(email)[:KEY_LENGTH],
        website_key(website)[:KEY_LENGTH],
    )


def whole_key(stored: str, compute, raw: str) -> str:
    """The whole key of a stored one: the stored key itself, unless it was cut (then from `raw`)."""
    return stored if len(stored) < KEY_LENGTH else compute(raw)


def distance_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(min(1.0, a)))


# Cells at least 200 m wide everywhere up to 75° of latitude (a degree of longitude shrinks with the
# cosine of the latitude), so a neighbour within 200 m is always in one of the 9 cells around.
CELL_LATITUDE_DEGREES = RADIUS_METRES / METRES_PER_DEGREE * 1.001
CELL_LONGITUDE_DEGREES = RADIUS_METRES / (METRES_PER_DEGREE * math.cos(math.radians(75)))


def _cell(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(longitude / CELL_LONGITUDE_DEGREES), math.floor(latitude / CELL_LATITUDE_DEGREES)


def find_pairs(records: Iterable[Candidate], *, others: Iterable[Candidate] = ()) -> dict[tuple, str]:
    """Pairs (key_a, key_b) -> reason ("name", "email", "website"), each pair once.

    `records` are the feed's usable records; `others` the current snapshots of the other sources. Pairs
    between two `others` are not reported (they belong to those sources' own checks).
    """
    records = list(records)
    own_keys = {record.key for record in records}
    everyone = records + [other for other in others if other.key not in own_keys]
    grid: dict[tuple, list[Candidate]] = defaultdict(list)
    by_email: dict[str, list[Candidate]] = defaultdict(list)
    by_website: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in everyone:
        if candidate.latitude is not None and candidate.longitude is not None and candidate.name_slug:
            grid[(*_cell(candidate.latitude, candidate.longitude), candidate.name_slug)].append(candidate)
        if candidate.email_key:
            by_email[candidate.email_key].append(candidate)
        if candidate.website_key:
            by_website[candidate.website_key].append(candidate)

    pairs: dict[tuple, str] = {}

    def add(a: Candidate, b: Candidate, reason: str) -> None:
        if a.key == b.key or (a.key not in own_keys and b.key not in own_keys):
            return
        pair = (a.key, b.key) if a.key <= b.key else (b.key, a.key)
        pairs.setdefault(pair, reason)

    for record in records:
        if record.latitude is None or record.longitude is None or not record.name_slug:
            continue
        cx, cy = _cell(record.latitude, record.longitude)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in grid.get((cx + dx, cy + dy, record.name_slug), ()):
                    if other.key != record.key and (
                        distance_metres(record.latitude, record.longitude, other.latitude, other.longitude)
                        <= RADIUS_METRES
                    ):
                        add(record, other, "name")
    for reason, groups in (("email", by_email), ("website", by_website)):
        for group in groups.values():
            if 1 < len(group) <= SHARED_CONTACT_LIMIT:
                for index, first in enumerate(group):
                    for second in group[index + 1 :]:
                        add(first, second, reason)
    return pairs
