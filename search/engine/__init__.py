"""One interface for every search engine: `get_engine()` answers the one that fits the database.

An engine keeps its full-text structure in step with `SearchDocument` rows (`index`, `remove`, `clear`)
and answers `match`: the ids of the documents of a queryset that match a query, best first. Another
engine (OpenSearch, Meilisearch) is plugged in by naming its class in `settings.SEARCH_ENGINE`.
"""

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from search.engine.base import SearchEngine

ENGINES = {
    "sqlite": "search.engine.sqlite.SQLiteEngine",
    "postgresql": "search.engine.postgres.PostgresEngine",
}


def get_engine() -> SearchEngine:
    path = getattr(settings, "SEARCH_ENGINE", "") or ENGINES[connection.vendor]
    return import_string(path)()


__all__ = ["SearchEngine", "get_engine"]
