"""Download a source's feed and turn it into normalised records.

The four formats of the issue are read: a GoGoCarto export (`{"licence", "ontology", "data": [...]}`),
a plain JSON array or `{"data": [...]}`, a GeoJSON `FeatureCollection`, and CSV with a header row.
Records are produced one at a time by a generator, so the check makes a single pass over them; the
download goes through `core.http.fetch`, the portal's one fetcher.
"""

import csv
import hashlib
import io
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext_noop

from core import http
from core.sanitize import safe_url
from core.territories import departement_of

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# Messages are stored as data (they are the keys of `errorMessages`) and translated when shown.
NOT_A_RECORD = gettext_noop("L'enregistrement n'est pas un objet")
MALFORMED_ROW = gettext_noop("La ligne n'a pas le même nombre de colonnes que l'en-tête")
MISSING_ID = gettext_noop("Identifiant manquant")
DUPLICATE_ID = gettext_noop("Identifiant déjà présent plus haut dans le flux")
MISSING_NAME = gettext_noop("Nom manquant")
BROKEN_TEXT = gettext_noop("Texte illisible : caractère Unicode incomplet (moitié de paire de substitution)")

# Where each field is usually found, most specific first. Dotted names go into nested objects; a CSV
# header may also be literally "geo.latitude".
FIELD_CANDIDATES: dict[str, list[str]] = {
    "id": ["id", "identifiant", "identifier", "uid", "code"],
    "name": ["name", "nom", "title", "titre", "label"],
    "latitude": ["geo.latitude", "lat", "latitude", "geo.lat", "coordonnees.latitude"],
    "longitude": ["geo.longitude", "lng", "lon", "long", "longitude", "geo.lng", "geo.lon"],
    "categories": ["categories", "categorie", "catégories", "catégorie", "category", "tags"],
    "address": [
        "address.customFormatedAddress",
        "address",
        "adresse",
        "streetAddress",
        "address.streetAddress",
    ],
    "postal_code": ["address.postalCode", "postalCode", "code_postal", "codepostal", "cp", "postcode", "zip"],
    "locality": ["address.addressLocality", "addressLocality", "ville", "commune", "city", "locality"],
    "email": ["email", "e-mail", "mail", "courriel"],
    "website": ["website", "site_web", "siteweb", "site", "url", "web"],
}
MAPPABLE_FIELDS = list(FIELD_CANDIDATES)
GEOMETRY_KEY = "__geometry__"


class FeedError(Exception):
    """The feed could not be read at all. `reason` is one line for people; `network` allows a retry."""

    def __init__(self, reason: str, *, network: bool = False, http_status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.network = network
        self.http_status = http_status


FEED_ACCEPT = "application/json, application/geo+json, text/csv;q=0.9, */*;q=0.5"


def download(
    *,
    url: str,
    etag: str = "",
    last_modified: str = "",
    max_bytes: int | None = None,
    accept: str = FEED_ACCEPT,
    on_progress=None,
) -> http.FetchResult:
    """GET a feed through the portal's one fetcher (`core.http.fetch`: deadline, size cap, address
    checks, conditional GET). Raises `core.http.FetchError`."""
    return http.fetch(
        url=url,
        etag=etag,
        last_modified=last_modified,
        accept=accept,
        max_bytes=max_bytes or getattr(settings, "SOURCES_FEED_MAX_BYTES", DEFAULT_MAX_BYTES),
        on_progress=on_progress,
    )


# --- Parsing ------------------------------------------------------------------------------------------


@dataclass
class ParsedFeed:
    format: str
    records: Iterable  # raw records: dicts (or anything else, which is an error), CSV rows as dicts


def parse(content: bytes, *, declared_format: str = "auto") -> ParsedFeed:
    """Read the feed's envelope and give back its records, detecting the format when asked to."""
    text_start = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    looks_json = text_start[:1] in (b"{", b"[")
    if declared_format == "csv" or (declared_format == "auto" and not looks_json):
        if not text_start:
            raise FeedError("Flux vide")
        return ParsedFeed("csv", _csv_records(content))
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FeedError("JSON invalide : le fichier n'est pas en UTF-8") from None
    except json.JSONDecodeError as error:
        raise FeedError(
            f"JSON invalide : {error.msg} (ligne {error.lineno}, colonne {error.colno})"
        ) from None
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            raise FeedError("GeoJSON invalide : « features » n'est pas une liste")
        return ParsedFeed("geojson", _geojson_records(features))
    if declared_format == "geojson":
        raise FeedError("GeoJSON invalide : ce n'est pas une FeatureCollection")
    if isinstance(document, list):
        return ParsedFeed("json", document)
    if isinstance(document, dict) and isinstance(document.get("data"), list):
        is_gogocarto = "ontology" in document or "licence" in document
        return ParsedFeed("gogocarto" if is_gogocarto else "json", document["data"])
    raise FeedError("JSON inattendu : ni une liste, ni un objet avec « data », ni une FeatureCollection")


def _geojson_records(features: list) -> Iterator:
    for feature in features:
        if not isinstance(feature, dict):
            yield feature
            continue
        properties = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        record = dict(properties)
        if "id" in feature and "id" not in record:
            record["id"] = feature["id"]
        record[GEOMETRY_KEY] = feature.get("geometry")
        yield record


def _csv_records(content: bytes) -> Iterator:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t", "|"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise FeedError("CSV vide : pas de ligne d'en-tête") from None
    except csv.Error as error:
        raise FeedError(f"CSV invalide : {error}") from None
    header = [name.strip() for name in header]
    if len(header) < 2 or not any(header):
        raise FeedError("CSV invalide : l'en-tête n'a pas plusieurs colonnes")
    return _csv_rows(reader, header)


class MalformedRow:
    """A CSV row whose width differs from the header's: an error, kept for its position."""


def _csv_rows(reader, header: list[str]) -> Iterator:
    width = len(header)
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            if len(row) != width:
                yield MalformedRow()
                continue
            yield dict(zip(header, row, strict=True))
    except csv.Error as error:
        raise FeedError(f"CSV invalide : {error}") from None


# --- Field mapping ------------------------------------------------------------------------------------


def detect_mapping(sample: list, *, override: dict | None = None) -> dict[str, str]:
    """Which key holds each field, guessed from the first records' keys; `override` wins."""
    keys: dict[str, str] = {}  # lower-case -> actual spelling
    nested: dict[str, dict[str, str]] = {}
    for record in sample:
        if not isinstance(record, dict):
            continue
        for key, value in record.items():
            keys.setdefault(str(key).lower(), key)
            if isinstance(value, dict):
                inner = nested.setdefault(str(key).lower(), {})
                for inner_key in value:
                    inner.setdefault(str(inner_key).lower(), inner_key)
    mapping: dict[str, str] = {}
    for field_name, candidates in FIELD_CANDIDATES.items():
        for candidate in candidates:
            lowered = candidate.lower()
            if lowered in keys:
                mapping[field_name] = keys[lowered]
                break
            if "." in lowered:
                outer, inner = lowered.split(".", 1)
                if outer in nested and inner in nested[outer]:
                    mapping[field_name] = f"{keys[outer]}.{nested[outer][inner]}"
                    break
    for field_name, path in (override or {}).items():
        if field_name in FIELD_CANDIDATES and path:
            mapping[field_name] = str(path)
    return mapping


def _lookup(record: dict, path: str):
    if path in record:
        return record[path]
    if "." in path:
        value = record
        for part in path.split("."):
            if not isinstance(value, dict) or part not in value:
                return None
            value = value[part]
        return value
    return None


# --- Validation ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class Element:
    """One usable record, normalised."""

    element_id: str
    name: str
    latitude: float | None
    longitude: float | None
    categories: list[str]
    address: str
    postal_code: str
    departement: str
    email: str
    website: str
    content_hash: str

    @property
    def has_geo(self) -> bool:
        return self.latitude is not None

    @property
    def name_slug(self) -> str:
        return slugify(self.name)


@dataclass(slots=True)
class RecordError:
    position: int
    element_id: str
    message: str
    stage: str = "validation"


@dataclass
class Validated:
    elements: dict[str, Element] = field(default_factory=dict)
    errors: list[RecordError] = field(default_factory=list)
    count: int = 0
    seen_ids: set[str] = field(default_factory=set)
    mapping: dict = field(default_factory=dict)


def _text(value) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()


def _coordinate(value, limit: float) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
        if not value:
            return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or not -limit <= number <= limit:
        return None
    return number


def _categories(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        separator = next((sep for sep in (";", "|", ",") if sep in value), None)
        parts = value.split(separator) if separator else [value]
        return [part.strip() for part in parts if part.strip()]
    if isinstance(value, list):
        names = []
        for item in value:
            if isinstance(item, dict):
                item = item.get("name") or item.get("nom") or item.get("id")
            text = _text(item)
            if text:
                names.append(text)
        return names
    text = _text(value)
    return [text] if text else []


def _address(record: dict, mapping: dict) -> tuple[str, str]:
    raw = _lookup(record, mapping["address"]) if "address" in mapping else None
    postal_code = _text(_lookup(record, mapping["postal_code"])) if "postal_code" in mapping else ""
    locality = _text(_lookup(record, mapping["locality"])) if "locality" in mapping else ""
    if isinstance(raw, dict):
        postal_code = postal_code or _text(raw.get("postalCode"))
        locality = locality or _text(raw.get("addressLocality"))
        street = _text(raw.get("customFormatedAddress")) or " ".join(
            filter(None, [_text(raw.get("streetNumber")), _text(raw.get("streetAddress"))])
        )
    else:
        street = _text(raw)
    parts = [street] + [part for part in (postal_code, locality) if part and part not in street]
    return ", ".join(part for part in parts if part)[:500], postal_code[:10]


def _normalise_web(value: str) -> str:
    """Kept as the feed gives it (duplicates compare it), unless it cannot be an http(s) link at all:
    a `javascript:` or `data:` "website" is no website. Links are still built with `safe_url`."""
    value = value.strip()[:1000]
    return value if safe_url(value) else ""


# One encoder for every record (what `json.dumps` would build anew at each call with these options).
_CANONICAL_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))


def content_hash(record) -> str:
    return hashlib.sha256(_CANONICAL_JSON.encode(record).encode()).hexdigest()


def validate(records: Iterable, *, mapping_override: dict | None = None, on_progress=None) -> Validated:
    """Check every record, in order. `on_progress(position)` is called every 5,000 records."""
    result = Validated()
    iterator = iter(records)
    sample = []
    for record in iterator:
        sample.append(record)
        if len(sample) >= 50:
            break
    mapping = detect_mapping(sample, override=mapping_override)
    result.mapping = mapping

    def all_records():
        yield from sample
        yield from iterator

    id_path, name_path = mapping.get("id"), mapping.get("name")
    lat_path, lng_path = mapping.get("latitude"), mapping.get("longitude")
    cat_path = mapping.get("categories")
    email_path, web_path = mapping.get("email"), mapping.get("website")
    for position, record in enumerate(all_records(), start=1):
        result.count = position
        if on_progress and position % 5000 == 0:
            on_progress(position)
        if isinstance(record, MalformedRow):
            result.errors.append(RecordError(position, "", MALFORMED_ROW, "lecture"))
            continue
        if not isinstance(record, dict):
            result.errors.append(RecordError(position, "", NOT_A_RECORD, "lecture"))
            continue
        element_id = _text(_lookup(record, id_path)) if id_path else ""
        if not element_id:
            result.errors.append(RecordError(position, "", MISSING_ID, "correspondance"))
            continue
        element_id = element_id[:300]
        try:
            record_hash = content_hash(record)
        except UnicodeEncodeError:
            # JSON can escape half of a surrogate pair ("\ud800"), which no UTF-8 text (nor database)
            # holds: that record is an error of its own, under an id that can be shown and stored.
            readable_id = "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in element_id)
            result.errors.append(RecordError(position, readable_id, BROKEN_TEXT, "lecture"))
            continue
        if element_id in result.seen_ids:
            result.errors.append(RecordError(position, element_id, DUPLICATE_ID, "validation"))
            continue
        result.seen_ids.add(element_id)
        name = _text(_lookup(record, name_path)) if name_path else ""
        if not name:
            result.errors.append(RecordError(position, element_id, MISSING_NAME, "validation"))
            continue
        latitude = _coordinate(_lookup(record, lat_path), 90) if lat_path else None
        longitude = _coordinate(_lookup(record, lng_path), 180) if lng_path else None
        if (latitude is None or longitude is None) and not (lat_path and lng_path):
            latitude, longitude = _geometry_point(record.get(GEOMETRY_KEY))
        if latitude is None or longitude is None:
            latitude = longitude = None
        address, postal_code = _address(record, mapping)
        email = _text(_lookup(record, email_path)) if email_path else ""
        result.elements[element_id] = Element(
            element_id=element_id,
            name=name[:500],
            latitude=latitude,
            longitude=longitude,
            categories=_categories(_lookup(record, cat_path)) if cat_path else [],
            address=address,
            postal_code=postal_code,
            departement=departement_of(postal_code),
            email="" if email.lower() == "private" else email[:300],
            website=_normalise_web(_text(_lookup(record, web_path))) if web_path else "",
            content_hash=record_hash,
        )
    return result


def _geometry_point(geometry) -> tuple[float | None, float | None]:
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        return None, None
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        return None, None
    return _coordinate(coordinates[1], 90), _coordinate(coordinates[0], 180)
