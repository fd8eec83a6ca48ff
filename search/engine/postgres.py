"""PostgreSQL full-text search: a generated tsvector (title weight A, body weight B) over an immutable
`unaccent` wrapper with the French or English configuration of the document, a GIN index, `ts_rank`,
prefix queries, and one typo through `pg_trgm` similarity over the vocabulary of indexed words."""

from django.db import connection

from search import text
from search.engine.base import SearchEngine

CONFIGS = ("french", "english")


class PostgresEngine(SearchEngine):
    vocabulary = "search_term"

    def index(self, *, documents: list) -> None:
        # The tsvector is a generated column: only the vocabulary for typos is written here.
        vocabulary = sorted(
            {
                word
                for document in documents
                for word in text.words(f"{document.title} {document.body}")
                if len(word) >= text.TYPO_MIN_LENGTH - 1 and len(word) <= 40
            }
        )
        if vocabulary:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {self.vocabulary} (word) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING",
                    [vocabulary],
                )

    def remove(self, *, ids: list[int]) -> None:
        """Nothing to do: the rows carry their own tsvector; stale vocabulary words only widen a query."""

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {self.vocabulary}")

    def match(self, *, queryset, query: str) -> list[tuple[int, float]]:
        tsquery, tsquery_params = self.tsquery(query)
        if not tsquery:
            return []
        subquery, params = self.subquery(queryset)
        sql = (
            f"SELECT id, ts_rank(search_vector, q) AS rank FROM search_searchdocument, ({tsquery}) AS t(q) "  # noqa: S608
            f"WHERE search_vector @@ q AND id IN ({subquery}) ORDER BY rank DESC, id LIMIT {self.MAX_MATCHES}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*tsquery_params, *params])
            return cursor.fetchall()

    def tsquery(self, query: str) -> tuple[str, list]:
        """SELECT of one tsquery: every word required; each as a prefix in both configurations, or one of
        the indexed words one edit away (found by trigram similarity)."""
        groups, params = [], []
        with connection.cursor() as cursor:
            for word in text.query_words(query):
                alternatives = [f"to_tsquery('{config}', %s)" for config in CONFIGS]
                params += [f"{word}:*"] * len(CONFIGS)
                if len(word) >= text.TYPO_MIN_LENGTH:
                    for near in self.near_words(cursor, word):
                        alternatives += [f"to_tsquery('{config}', %s)" for config in CONFIGS]
                        params += [near] * len(CONFIGS)
                groups.append("(" + " || ".join(alternatives) + ")")
        if not groups:
            return "", []
        return "SELECT " + " && ".join(groups), params

    def near_words(self, cursor, word: str) -> list[str]:
        cursor.execute(
            f"SELECT word FROM {self.vocabulary} WHERE word %% %s AND word <> %s "  # noqa: S608
            "ORDER BY similarity(word, %s) DESC LIMIT 50",
            [word, word, word],
        )
        return [near for (near,) in cursor.fetchall() if text.within_one_edit(word, near)][:10]
