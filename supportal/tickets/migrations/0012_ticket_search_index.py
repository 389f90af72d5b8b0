"""The ticket full-text index, per database vendor (see ``tickets.search``).

SQLite: an FTS5 table (rowid = Ticket.id) with the Porter stemmer; columns ``subject``,
``body`` (description, public replies, requester and organization) and ``internal``
(internal notes, searched for staff only). PostgreSQL: a GIN index over
``tickets_ticketsearchdocument.vector``. The services write both (never triggers or
signals); ``supportal index_tickets`` fills them for tickets filed before this migration."""

from django.db import migrations

FTS5_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS tickets_search_fts USING fts5("
    "subject, body, internal, tokenize = 'porter unicode61 remove_diacritics 2')"
)
GIN_CREATE = (
    "CREATE INDEX IF NOT EXISTS ticket_search_vector_gin "
    "ON tickets_ticketsearchdocument USING gin (vector)"
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
        schema_editor.execute("DROP TABLE IF EXISTS tickets_search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ticket_search_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0011_tags_search_saved_views")]

    operations = [migrations.RunPython(create_index, drop_index)]
