"""Record the query plans of the hot pages: bench/plans/<database>-<page>.txt.

    DATABASE_URL=postgres://…/supportal_bench .venv/bin/python bench/plans.py

Renders each hot page in-process (Django's test client, logged in as the persona the
HTTP bench uses) on the bench data set, captures every SQL query it runs, and writes the
query with its ``EXPLAIN (ANALYZE, BUFFERS)`` plan (PostgreSQL) or ``EXPLAIN QUERY PLAN``
(SQLite), slowest first. Run it after bench/generate.py (or `make bench`) filled the
database; BENCH_DATABASE_URL wins over DATABASE_URL, as in the HTTP bench.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PLANS_DIR = BENCH_DIR / "plans"
sys.path.insert(0, str(BENCH_DIR.parent))


# Filing through the portal form, as the HTTP bench does (it adds tickets to the data set).
FILING = {
    "product": "pressero",
    "kind": "question",
    "subject": "Plans: shipping options on the storefront",
    "description": "Where do I change the **shipping** options?\n\nThanks!",
    "site_name": "Acme Storefront",
    "site_url": "https://store.acmeprint.test",
}


def pages(fifty: list[int]) -> list[tuple[str, str, str, dict | None]]:
    return [
        ("queue", "agent@vendor.test", "/tickets/queue/", None),
        ("customer_list", "bob@acmeprint.test", "/tickets/", None),
        ("customer_admin_list", "alice@acmeprint.test", "/tickets/", None),
        ("staff_list", "agent@vendor.test", "/tickets/", None),
        ("ticket_50_agent", "agent@vendor.test", f"/tickets/{fifty[0]}/", None),
        ("ticket_50_customer", "bob@acmeprint.test", f"/tickets/{fifty[0]}/", None),
        ("submit", "bob@acmeprint.test", "/tickets/new/", FILING),
    ]


def explain(connection, sql: str) -> str:
    """The plan of a query; reads are run (ANALYZE), writes only planned."""
    reads = sql.lstrip().upper().startswith("SELECT")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(("EXPLAIN (ANALYZE, BUFFERS) " if reads else "EXPLAIN ") + sql)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(" ".join(str(part) for part in row) for row in cursor.fetchall())


def main() -> int:
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportal.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from generate import read_dataset

    from supportal.accounts.models import User

    settings.ALLOWED_HOSTS = ["*"]
    found = read_dataset()
    if found is None:
        print("No bench data set in this database: run bench/generate.py first.")
        return 1
    dataset = found[1]
    PLANS_DIR.mkdir(exist_ok=True)
    for name, email, path, data in pages(dataset.fifty_reply_ticket_ids):
        client = Client()
        client.force_login(User.objects.get(email=email))

        def request(client=client, path=path, data=data):
            return client.get(path) if data is None else client.post(path, data)

        request()  # warm caches, as a running server would be
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = request()
            elapsed = (time.perf_counter() - began) * 1000
        assert response.status_code == (200 if data is None else 302), (name, response.status_code)
        method = "GET" if data is None else "POST"
        queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
        lines = [
            f"# {name}: {method} {path} as {email}",
            f"# {dataset.tickets:,} tickets on {connection.vendor}; page rendered in-process "
            f"in {elapsed:.1f} ms with {len(queries)} queries (slowest first)",
            "",
        ]
        for number, query in enumerate(queries, 1):
            lines += [f"-- {number}. {float(query['time']) * 1000:.1f} ms", query["sql"], ""]
            if query["sql"].lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE")):
                lines += [explain(connection, query["sql"]), ""]
        out = PLANS_DIR / f"{connection.vendor}-{dataset.tickets}-{name}.txt"
        out.write_text("\n".join(lines) + "\n")
        print(f"{out.relative_to(BENCH_DIR.parent)}: {len(queries)} queries, {elapsed:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(BENCH_DIR))
    sys.exit(main())
