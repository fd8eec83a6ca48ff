"""An extension point for full-text search, so the agenda, the FAQ or the forum filter their own lists with
the portal's search engine without importing it: the search app registers a provider at start-up.

Without a provider (the search app not installed), `matching_pks` answers None and callers keep their
own simple filter.
"""

from collections.abc import Callable

_provider: Callable[..., list[int]] | None = None


def register(provider: Callable[..., list[int]]) -> None:
    """`provider(*, doc_type, query)` -> primary keys of the objects of that type matching `query`, whoever
    may read them: the caller filters its own queryset by them, visibility included."""
    global _provider
    _provider = provider


def matching_pks(*, doc_type: str, query: str) -> list[int] | None:
    """Primary keys of the `doc_type` objects that match `query`, best first; None without a provider."""
    if _provider is None:
        return None
    return _provider(doc_type=doc_type, query=query)
