"""SQLite FTS5: stems written by Python (Snowball), accents and case folded by the `unicode61` tokenizer,
bm25 ranking with the title weighted ten times the body, prefix queries, and one typo through the
`fts5vocab` vocabulary of the words as written (edit distance 1, words of five letters or more): a typo
is corrected against real words, then matched through their stems.

Stems cannot be the typo vocabulary: the stemmer cuts a misspelt word elsewhere ("velorutioon" keeps its
ending, "velorution" becomes "veloru"), and a stem one edit from another word's prefix is common noise
("velor…" / "velos")."""

from django.db import connection

from search import text
from search.engine.base import SearchEngine

TITLE_WEIGHT, BODY_WEIGHT, WORDS_WEIGHT = 10.0, 1.0, 0.0
BATCH = 2000


class SQLiteEngine(SearchEngine):
    table = "search_fts"
    vocabulary = "search_fts_vocab"

    def index(self, *, documents: list) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(documents), BATCH):
                batch = documents[start : start + BATCH]
                self._delete(cursor, [document.pk for document in batch])
                cursor.executemany(
                    f"INSERT INTO {self.table} (rowid, title, body, words) VALUES (%s, %s, %s, %s)",  # noqa: S608
                    [
                        (
                            document.pk,
                            text.stemmed_text(document.title, document.language),
                            text.stemmed_text(document.body, document.language),
                            " ".join(dict.fromkeys(text.words(f"{document.title} {document.body}"))),
                        )
                        for document in batch
                    ],
                )

    def _delete(self, cursor, ids: list[int]) -> None:
        if ids:
            marks = ",".join(["%s"] * len(ids))
            cursor.execute(f"DELETE FROM {self.table} WHERE rowid IN ({marks})", ids)  # noqa: S608

    def remove(self, *, ids: list[int]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(ids), BATCH):
                self._delete(cursor, ids[start : start + BATCH])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")  # noqa: S608

    def match(self, *, queryset, query: str) -> list[tuple[int, float]]:
        expression = self.expression(query)
        if not expression:
            return []
        subquery, params = self.subquery(queryset)
        # The full-text matches first, materialised, then the filter: left to itself, SQLite re-runs the
        # filter's subquery against the FTS table row by row (seconds at 10,000 documents, not milliseconds).
        sql = (
            f"WITH hits AS MATERIALIZED (SELECT rowid AS id, "  # noqa: S608
            f"bm25({self.table}, {TITLE_WEIGHT}, {BODY_WEIGHT}, {WORDS_WEIGHT}) AS rank "
            f"FROM {self.table} WHERE {self.table} MATCH %s) "
            f"SELECT id, rank FROM hits WHERE id IN ({subquery}) ORDER BY rank LIMIT {self.MAX_MATCHES}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression, *params])
            return [(pk, -rank) for pk, rank in cursor.fetchall()]

    def expression(self, query: str) -> str:
        """The FTS5 query: every word is required; a word matches its stems (French and English) as
        prefixes, and, from five letters, the indexed stems one edit away."""
        groups = []
        with connection.cursor() as cursor:
            for word in text.query_words(query):
                stems = {text.stem(word, "fr"), text.stem(word, "en")}
                terms = [f'"{stem}"*' for stem in sorted(stems)]
                if len(word) >= text.TYPO_MIN_LENGTH:
                    near = {
                        text.stem(other, language)
                        for other in self.near_words(cursor, word)
                        for language in ("fr", "en")
                    }
                    terms += [f'"{term}"' for term in sorted(near - stems)]
                groups.append("(" + " OR ".join(terms) + ")")
        return "{title body} : (" + " AND ".join(groups) + ")" if groups else ""

    def near_words(self, cursor, word: str) -> list[str]:
        """Indexed words one edit away from `word`. Only words sharing its first letter are read (a range
        scan of the vocabulary, not the whole of it): a typo on the first letter is not corrected."""
        first = word[0]
        cursor.execute(
            f"SELECT term FROM {self.vocabulary} WHERE col = 'words' AND term >= %s AND term < %s "  # noqa: S608
            "AND length(term) BETWEEN %s AND %s",
            [first, chr(ord(first) + 1), len(word) - 1, len(word) + 1],
        )
        return [term for (term,) in cursor.fetchall() if term != word and text.within_one_edit(word, term)][
            :20
        ]
