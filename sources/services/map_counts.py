"""What the map shows: how many elements each `sourceKey` has on the GoGoCarto map."""

import json
from collections import Counter

from django.utils import timezone

from core import http
from sources.models import Source
from sources.services.feeds import FeedError, download

MAP_MAX_BYTES = 300 * 1024 * 1024  # the whole map in one answer: GoGoCarto has no paging


def count_by_source_key(*, map_url: str) -> Counter:
    """Download `{map}/api/elements.json` and count the elements of each `sourceKey`."""
    try:
        result = download(
            url=f"{map_url.rstrip('/')}/api/elements.json", max_bytes=MAP_MAX_BYTES, accept="application/json"
        )
    except http.FetchError as error:
        raise FeedError(str(error), network=error.transient, http_status=error.http_status) from None
    try:
        document = json.loads(result.content)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise FeedError("Réponse de la carte illisible : JSON invalide") from None
    elements = document.get("data") if isinstance(document, dict) else document
    if not isinstance(elements, list):
        raise FeedError("Réponse de la carte inattendue : pas de liste « data »")
    return Counter(element.get("sourceKey") or "" for element in elements if isinstance(element, dict))


def refresh_map_counts() -> dict[str, int]:
    """Update `map_elements_count` of every source, one download per distinct map. Returns slug -> count."""
    by_map: dict[str, list[Source]] = {}
    for source in Source.objects.all():
        by_map.setdefault(source.effective_map_url, []).append(source)
    now = timezone.now()
    result = {}
    for map_url, sources in by_map.items():
        counts = count_by_source_key(map_url=map_url)
        for source in sources:
            source.map_elements_count = counts.get(source.source_key, 0)
            source.map_counted_at = now
            result[source.slug] = source.map_elements_count
        Source.objects.bulk_update(sources, ["map_elements_count", "map_counted_at"])
    return result
