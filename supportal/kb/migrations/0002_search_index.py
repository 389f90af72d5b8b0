"""The full-text index beside ``kb_searchdocument``, per database vendor.

SQLite: an FTS5 table (rowid = SearchDocument.id) with the Porter stemmer and prefix
indexes for search-as-you-type. PostgreSQL: a GIN index over ``search_vector``. The
services write both (never triggers or model signals)."""

from django.db import migrations

FTS5_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS kb_search_fts USING fts5("
    "title, tags, body, "
    "tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3 4')"
)
GIN_CREATE = (
    "CREATE INDEX IF NOT EXISTS kb_searchdocument_vector_gin "
    "ON kb_searchdocument USING gin (search_vector)"
)


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(FTS5_CREATE)
    elif vendor == "postgresql":
        schema_editor.execute(GIN_CREATE)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS kb_search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS kb_searchdocument_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("kb", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
