"""What every search engine does."""

from django.db.models import QuerySet


class SearchEngine:
    """The interface. `match` never returns a document outside `queryset` (visibility, filters)."""

    #: At most this many matches are ranked for one query (the page, the facets and the total read them).
    MAX_MATCHES = 2000

    def index(self, *, documents: list) -> None:
        """Make the full-text structure match these (saved) documents."""
        raise NotImplementedError

    def remove(self, *, ids: list[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def match(self, *, queryset: QuerySet, query: str) -> list[tuple[int, float]]:
        """(document id, score) of the matches in `queryset`, best first; higher score is better."""
        raise NotImplementedError

    @staticmethod
    def subquery(queryset: QuerySet) -> tuple[str, tuple]:
        """The SQL of `queryset`'s primary keys, to restrict a full-text query to it."""
        return queryset.values("pk").query.sql_with_params()
