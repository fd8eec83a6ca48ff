"""Reads of the search index: what a person may find, filtered, ranked, counted by facet, one page of it."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts import permissions
from core.territories import DEPARTEMENTS, REGIONS
from search import text
from search.engine import get_engine
from search.indexers import REGISTRY
from search.models import SearchDocument

PER_PAGE = 20
MAX_PAGE = 100
MAX_RADIUS_KM = 500
FACET_SIZE = 20
TIMED_TYPES = {SearchDocument.Type.EVENT, SearchDocument.Type.SESSION}


@dataclass
class SearchParams:
    q: str = ""
    types: list[str] = field(default_factory=list)
    departement: str = ""
    region: str = ""
    categorie: str = ""
    source: int | None = None
    lat: float | None = None
    lon: float | None = None
    rayon: float | None = None
    du: date | None = None
    au: date | None = None
    page: int = 1
    language: str = "fr"

    @property
    def is_empty(self) -> bool:
        return not (
            self.q.strip()
            or self.types
            or self.departement
            or self.region
            or self.categorie
            or self.source
            or self.has_radius
        )

    @property
    def has_radius(self) -> bool:
        return self.lat is not None and self.lon is not None and bool(self.rayon)


def _float(value, low, high):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high and math.isfinite(number) else None


def _date(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def parse_params(data, *, language: str) -> SearchParams:
    """Read the query string (page and API share the names); what does not parse is ignored."""
    types = [value for value in data.getlist("type") if value in SearchDocument.Type.values]
    departement = (data.get("departement") or "").upper()
    region = (data.get("region") or "").upper().removeprefix("R")
    try:
        page = min(max(int(data.get("page") or 1), 1), MAX_PAGE)
    except ValueError:
        page = 1
    try:
        source = int(data.get("source")) if data.get("source") else None
    except ValueError:
        source = None
    return SearchParams(
        q=(data.get("q") or "")[:200],
        types=list(dict.fromkeys(types)),
        departement=departement if departement in DEPARTEMENTS else "",
        region=region if region in REGIONS else "",
        categorie=(data.get("categorie") or "")[:200],
        source=source,
        lat=_float(data.get("lat"), -90, 90),
        lon=_float(data.get("lon"), -180, 180),
        rayon=_float(data.get("rayon"), 0.1, MAX_RADIUS_KM),
        du=_date(data.get("du")),
        au=_date(data.get("au")),
        page=page,
        language=language,
    )


def audiences(user) -> set[str]:
    tokens: set[str] = set()
    for indexer in REGISTRY.values():
        if indexer.audiences is not None:
            tokens |= indexer.audiences(user)
    return tokens


def visible_documents(*, user, language: str) -> QuerySet[SearchDocument]:
    """The documents this person may read: public ones, the team's if `is_team`, and those of the roles
    each indexer grants (the forum's categories by community's own rule). Translated content shows in
    the page's language; content that exists in one language only shows everywhere."""
    rule = Q(visibility=SearchDocument.Visibility.PUBLIC)
    if permissions.is_team(user):
        rule |= Q(visibility=SearchDocument.Visibility.TEAM)
    tokens = audiences(user)
    if tokens:
        rule |= Q(visibility=SearchDocument.Visibility.ROLES, audience__in=sorted(tokens))
    return SearchDocument.objects.filter(rule, language__in=[language, ""])


def distance_km(lat1, lon1, lat2, lon2) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 12742 * math.asin(math.sqrt(a))


@dataclass
class Hit:
    document: SearchDocument
    snippet: str
    score: float
    title_html: str = ""


@dataclass
class SearchResult:
    params: SearchParams
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    page: int
    pages: int

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


META_FIELDS = (
    "pk",
    "doc_type",
    "departement",
    "region",
    "categories",
    "source_ids",
    "latitude",
    "longitude",
    "event_date",
)


def search(*, user, params: SearchParams, per_page: int = PER_PAGE) -> SearchResult:
    """Rank what matches the query among what this person may read, apply the filters, count the facets
    (the type facet ignores the type filter, so the other types stay one click away), return one page."""
    documents = visible_documents(user=user, language=params.language)
    if params.departement:
        documents = documents.filter(departement=params.departement)
    if params.region:
        documents = documents.filter(region=params.region)
    if params.du:
        documents = documents.filter(
            event_date__gte=timezone.make_aware(datetime.combine(params.du, time.min))
        )
    if params.au:
        documents = documents.filter(
            event_date__lte=timezone.make_aware(datetime.combine(params.au, time.max))
        )
    if params.has_radius:
        # A bounding box in SQL, the exact distance below.
        dlat = params.rayon / 111.2
        dlon = params.rayon / max(111.2 * math.cos(math.radians(params.lat)), 1e-6)
        documents = documents.filter(
            latitude__range=(params.lat - dlat, params.lat + dlat),
            longitude__range=(params.lon - dlon, params.lon + dlon),
        )
    engine = get_engine()
    if params.q.strip():
        matches = engine.match(queryset=documents, query=params.q)
    elif params.is_empty:
        matches = []
    else:
        ordered = documents.order_by("-event_date", "title").values_list("pk", flat=True)[
            : engine.MAX_MATCHES
        ]
        matches = [(pk, 0.0) for pk in ordered]
    score = dict(matches)
    rows = {row["pk"]: row for row in SearchDocument.objects.filter(pk__in=list(score)).values(*META_FIELDS)}
    kept = []
    for pk, _score in matches:
        row = rows.get(pk)
        if row is None:
            continue
        if params.categorie and params.categorie not in (row["categories"] or []):
            continue
        if params.source and params.source not in (row["source_ids"] or []):
            continue
        if params.has_radius and (
            row["latitude"] is None
            or distance_km(params.lat, params.lon, row["latitude"], row["longitude"]) > params.rayon
        ):
            continue
        kept.append(row)
    facets = {
        "type": dict(Counter(row["doc_type"] for row in kept).most_common()),
    }
    if params.types:
        kept = [row for row in kept if row["doc_type"] in params.types]
    facets["departement"] = dict(
        Counter(row["departement"] for row in kept if row["departement"]).most_common(FACET_SIZE)
    )
    facets["region"] = dict(Counter(row["region"] for row in kept if row["region"]).most_common(FACET_SIZE))
    facets["categorie"] = dict(
        Counter(c for row in kept for c in (row["categories"] or [])).most_common(FACET_SIZE)
    )
    facets["source"] = dict(
        Counter(str(s) for row in kept for s in (row["source_ids"] or [])).most_common(FACET_SIZE)
    )
    if params.types and set(params.types) <= TIMED_TYPES:
        # Among events, the most recent first.
        kept.sort(key=lambda row: row["event_date"] or datetime.min.replace(tzinfo=UTC), reverse=True)
    total = len(kept)
    pages = max(1, math.ceil(total / per_page))
    page = min(params.page, pages)
    page_ids = [row["pk"] for row in kept[(page - 1) * per_page : page * per_page]]
    by_id = SearchDocument.objects.in_bulk(page_ids)
    terms = text.query_words(params.q)
    hits = [
        Hit(
            document=by_id[pk],
            snippet=text.highlight(by_id[pk].body, terms),
            score=score.get(pk, 0.0),
            title_html=text.highlight(by_id[pk].title, terms, length=500),
        )
        for pk in page_ids
        if pk in by_id
    ]
    return SearchResult(params=params, total=total, hits=hits, facets=facets, page=page, pages=pages)


def matching_pks(*, doc_type: str, query: str) -> list[int]:
    """For `core.text_search`: the objects of one type that match, best first, whatever their visibility:
    the callers' own lists (agenda, FAQ, forum) already decide who sees what, and keep their order."""
    documents = SearchDocument.objects.filter(doc_type=doc_type)
    matches = get_engine().match(queryset=documents, query=query)
    keys = dict(
        SearchDocument.objects.filter(pk__in=[pk for pk, _score in matches]).values_list("pk", "object_key")
    )
    return [int(keys[pk]) for pk, _score in matches if pk in keys and keys[pk].isdigit()]
