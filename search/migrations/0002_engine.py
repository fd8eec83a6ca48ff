"""The engines' own structures, outside Django's model state.

SQLite: an FTS5 table (rowid = SearchDocument.id) with the `unicode61 remove_diacritics 2` tokenizer
and a prefix index: title and body hold stems, `words` the document's words as written (folded), whose
`fts5vocab` view is the vocabulary a typo is corrected against.
PostgreSQL: the `unaccent` and `pg_trgm` extensions, an immutable `unaccent` wrapper (the extension's
function is only stable, so it cannot feed a generated column), a generated tsvector (title A, body B, in
the document's configuration) with a GIN index, and the vocabulary of indexed words with a trigram index.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, words, tokenize = 'unicode61 remove_diacritics 2', "
    "prefix = '2 3')",
    "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'col')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_fts_vocab", "DROP TABLE IF EXISTS search_fts"]

POSTGRES_FORWARD = [
    "CREATE OR REPLACE FUNCTION search_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "STRICT AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$",
    "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector(CASE WHEN language = 'en' THEN 'english'::regconfig ELSE 'french'::regconfig END, "
    "search_unaccent(coalesce(title, ''))), 'A') || "
    "setweight(to_tsvector(CASE WHEN language = 'en' THEN 'english'::regconfig ELSE 'french'::regconfig END, "
    "search_unaccent(left(coalesce(body, ''), 200000))), 'B')) STORED",
    "CREATE INDEX search_document_vector_idx ON search_searchdocument USING gin (search_vector)",
    "CREATE TABLE search_term (word text PRIMARY KEY)",
    "CREATE INDEX search_term_trgm_idx ON search_term USING gin (word gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP TABLE IF EXISTS search_term",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS search_unaccent(text)",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(vendor, []):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        # Both skip themselves on databases other than PostgreSQL.
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(forward, backward),
    ]
