"""Load Supportal's bench data set into django-helpdesk (run with the helpdesk venv).

    HELPDESK_DATABASE_URL=... SUPPORTAL_SOURCE_URL=... python load_data.py

The same tickets, replies and staff, mapped to helpdesk's model: products become queues,
tickets keep their ids, subjects, texts, times, assignees and urgency (priority 1, else
3); new/open/pending → Open, resolved → Resolved, closed → Closed; each reply becomes a
follow-up (internal notes private), plus the "Ticket Opened" follow-up helpdesk writes
for every new ticket. Customers are submitters by e-mail (helpdesk has no organizations).
The copy runs inside the database server (PostgreSQL: COPY (SELECT …) piped into COPY;
SQLite: ATTACH + INSERT … SELECT), so Python touches no row. Skipped when the helpdesk
database already holds a copy of the same source data set.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

SOURCE = os.environ["SUPPORTAL_SOURCE_URL"]
PASSWORD = os.environ.get("HELPDESK_BENCH_PASSWORD", "supportal-demo")
STAFF_ROLES = "('agent', 'professional_services', 'manager')"
MARK = "bench_source"

STATUS = "CASE t.status WHEN 'resolved' THEN 3 WHEN 'closed' THEN 4 ELSE 1 END"  # 1 Open

QUEUES = """
SELECT p.id, p.name, p.slug, {true}, {false}, {false}, {false} FROM accounts_product p
"""
USERS = f"""
SELECT u.id, '!', {{false}}, u.email, '', u.name, u.email, {{true}}, u.is_active, u.date_joined
FROM accounts_user u WHERE u.role IN {STAFF_ROLES}
"""
TICKETS = f"""
SELECT t.id, t.subject, t.received_at, u.email, {STATUS}, {{false}}, t.description,
       CASE WHEN t.urgent THEN 1 ELSE 3 END, t.assignee_id, t.product_id, {{secret}},
       t.updated_at
FROM tickets_ticket t JOIN accounts_user u ON u.id = t.requester_id
"""
FOLLOWUPS = f"""
SELECT r.id, r.created_at, 'Comment', r.body, NOT r.internal, r.ticket_id,
       CASE WHEN a.role IN {STAFF_ROLES} THEN r.author_id END
FROM tickets_reply r JOIN accounts_user a ON a.id = r.author_id
"""
OPENED = """
SELECT {offset} + t.id, t.received_at, 'Ticket Opened', t.description, {true}, t.id, NULL
FROM tickets_ticket t
"""

TABLES = [
    ("helpdesk_queue", "id, title, slug, allow_public_submission, allow_email_submission, "
     "email_box_ssl, enable_notifications_on_email_events", QUEUES),
    ("auth_user", "id, password, is_superuser, username, first_name, last_name, email, "
     "is_staff, is_active, date_joined", USERS),
    ("helpdesk_ticket", "id, title, created, submitter_email, status, on_hold, description, "
     "priority, assigned_to_id, queue_id, secret_key, modified", TICKETS),
    ("helpdesk_followup", "id, date, title, comment, public, ticket_id, user_id", FOLLOWUPS),
    ("helpdesk_followup", "id, date, title, comment, public, ticket_id, user_id", OPENED),
]  # fmt: skip


def source_fingerprint() -> str:
    """The source's own data-set record (bench/generate.py writes it)."""
    if SOURCE.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(SOURCE[len("sqlite:///") :]) as db:
            return db.execute("SELECT fingerprint FROM bench_dataset").fetchone()[0]
    import psycopg

    with psycopg.connect(SOURCE) as db:
        return db.execute("SELECT fingerprint FROM bench_dataset").fetchone()[0]


def loaded_fingerprint() -> str | None:
    if MARK not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT fingerprint FROM {MARK}")  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


def copy_postgres(offset: int) -> None:
    import psycopg

    words = {"true": "true", "false": "false", "secret": "md5(t.id::text)::uuid::text"}
    with psycopg.connect(SOURCE) as source, connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        for table, columns, select in TABLES:
            sql = select.format(offset=offset, **words)
            with (
                source.cursor().copy(f"COPY ({sql}) TO STDOUT") as out,
                cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as into,
            ):
                for block in out:
                    into.write(block)
        for table in ("helpdesk_queue", "auth_user", "helpdesk_ticket", "helpdesk_followup"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT MAX(id) FROM {table}))"
            )


def copy_sqlite(offset: int) -> None:
    words = {
        "true": "1",
        "false": "0",
        "secret": "printf('00000000-0000-4000-8000-%012d', t.id)",
    }
    with connection.cursor() as cursor:
        for table, columns, select in TABLES:
            sql = select.format(offset=offset, **words)
            for name in ("accounts_product", "accounts_user", "tickets_ticket", "tickets_reply"):
                sql = sql.replace(f"FROM {name} ", f"FROM source.{name} ")
                sql = sql.replace(f"JOIN {name} ", f"JOIN source.{name} ")
            cursor.execute(f"INSERT INTO {table} ({columns}) {sql}")  # noqa: S608


def mail_templates() -> None:
    """flush also empties the mail templates helpdesk's migration 0003 loads: without them
    it renders no notification ("template ... does not exist, no mail sent"), less work than
    a real installation does on every filing. Loaded again from helpdesk's own fixture."""
    from helpdesk.models import EmailTemplate

    if not EmailTemplate.objects.exists():
        call_command("loaddata", "emailtemplate", verbosity=0)


def main() -> int:
    call_command("migrate", verbosity=0, interactive=False)
    wanted = source_fingerprint()
    if loaded_fingerprint() == wanted:
        print("helpdesk data: reusing the copy already loaded", flush=True)
        mail_templates()  # a copy loaded before this was mended has none
        return 0
    started = time.perf_counter()
    call_command("flush", verbosity=0, interactive=False)
    mail_templates()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {MARK}")
    postgres = connection.vendor == "postgresql"
    if not postgres:  # outside the transaction: SQLite refuses ATTACH inside one
        with connection.cursor() as cursor:
            cursor.execute("ATTACH DATABASE %s AS source", [SOURCE[len("sqlite:///") :]])
    with transaction.atomic():
        if postgres:
            import psycopg

            with psycopg.connect(SOURCE) as source:
                top = source.execute("SELECT COALESCE(MAX(id), 0) FROM tickets_reply").fetchone()
            copy_postgres(offset=top[0] + 1_000_000)
        else:
            import sqlite3

            with sqlite3.connect(SOURCE[len("sqlite:///") :]) as source:
                top = source.execute("SELECT COALESCE(MAX(id), 0) FROM tickets_reply").fetchone()
            copy_sqlite(offset=top[0] + 1_000_000)
        from django.contrib.auth.models import User
        from helpdesk.models import UserSettings

        User.objects.filter(is_staff=True).update(password=make_password(PASSWORD))
        UserSettings.objects.bulk_create(
            [UserSettings(user=user) for user in User.objects.filter(is_staff=True)]
        )
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {MARK} (fingerprint TEXT)")
            cursor.execute(f"INSERT INTO {MARK} VALUES (%s)", [wanted])  # noqa: S608
    if not postgres:
        with connection.cursor() as cursor:
            cursor.execute("DETACH DATABASE source")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if postgres else "ANALYZE")
    print(f"helpdesk data: loaded in {time.perf_counter() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
