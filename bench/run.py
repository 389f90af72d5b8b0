"""`make bench`: how fast the ticket write path and the queue/list reads are.

Runs on a throwaway database: a fresh SQLite file in a temp dir, or, when DATABASE_URL
is set, Django's test database beside it (``test_<name>``, dropped afterwards) so a real
database is never written to. Prints medians and writes bench/results/latest.json.
Timings are for comparing commits on one machine; nothing asserts on them.

Then (unless BENCH_HTTP=0) the HTTP part, bench/http_bench.py: the real server on a
generated data set of BENCH_N tickets, under a bounded load over loopback, and with
BENCH_HELPDESK=1 django-helpdesk side by side. See docs/deploy.md ("Measuring").
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results" / "latest.json"

OPEN_BATCH = 500  # tickets per throughput repetition
OPEN_REPEATS = 3
QUEUE_DEPTH = 5000  # open tickets in the queue for the read benchmarks
READ_REPEATS = 25
DEEP_PAGE = 100  # the page number (of SUPPORTAL_PAGE_SIZE) fetched as "deep"
# Each app's benchmark: bench/<name>.py with run() -> {label: figure}, run after the core one
# on the same throwaway database.
APP_BENCHES = [
    "sla_bench",
    "kb_bench",
    "billing_bench",
    "channels_bench",
    "news_status_ideas_bench",
    "chat_bench",
    "reports_bench",
]


def _setup_django(data_dir: Path) -> str | None:
    """Configure Django on a throwaway database.

    Returns the real database's name when the bench runs on a test copy of it."""
    os.environ["SUPPORTAL_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportal.settings")
    os.environ["SUPPORTAL_HUEY_IMMEDIATE"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    # Demo passwords are hashed once per login; a fast hasher keeps setup short.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0, interactive=False)
        return None
    real_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return real_name


def _median_ms(fn: Callable[[], Any], repeats: int) -> float:
    fn()  # warm caches and query plans once
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def run() -> dict[str, Any]:
    from django.db import connection

    from supportal.accounts.models import TrainingAttendance, TrainingSession
    from supportal.demo.loader import load_demo
    from supportal.tickets.models import Ticket
    from supportal.tickets.queries import TicketFilters, queue_page, ticket_page
    from supportal.tickets.services import TicketDraft, open_ticket

    demo = load_demo(with_tickets=False)
    # Support requires training for the product: the demo's Carol has none, so she attends
    # the demo's PJM session before filing (the write path is timed, not the refusal).
    TrainingAttendance.objects.get_or_create(
        user=demo.carol, session=TrainingSession.objects.get(title="PJM and tFlow fundamentals")
    )
    filers = [(demo.bob, "pressero"), (demo.alice, "edocbuilder"), (demo.carol, "pjm")]
    filed = 0

    def file_one() -> None:
        nonlocal filed
        user, product = filers[filed % len(filers)]
        urgent = filed % 20 == 0  # one in twenty jumps the queue
        open_ticket(
            requester=user,
            draft=TicketDraft(
                product=product,
                kind="question" if filed % 3 else "bug",
                subject=f"Benchmark ticket {filed}",
                description="Where do I change the **shipping** options?\n\n" * 3,
                urgent=urgent,
                urgent_reason=Ticket.UrgentReason.CANNOT_ORDER if urgent else "",
            ),
        )
        filed += 1

    rates = []
    for _ in range(OPEN_REPEATS):
        start = time.perf_counter()
        for _ in range(OPEN_BATCH):
            file_one()
        rates.append(OPEN_BATCH / (time.perf_counter() - start))
    while filed < QUEUE_DEPTH:
        file_one()

    if connection.vendor == "postgresql":
        # A live database's autovacuum keeps planner statistics fresh; a new one has none.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    everything = TicketFilters()

    def deep_cursor() -> str | None:
        cursor = None
        for _ in range(DEEP_PAGE - 1):
            cursor = queue_page(demo.agent, everything, cursor=cursor).next_cursor
        return cursor

    cursor = deep_cursor()
    assert cursor is not None, "the queue is shorter than the deep page"

    results: dict[str, Any] = {
        "open_ticket_per_s": statistics.median(rates),
        "queue_first_page_ms": _median_ms(lambda: queue_page(demo.agent, everything), READ_REPEATS),
        "queue_deep_page_ms": _median_ms(
            lambda: queue_page(demo.agent, everything, cursor=cursor), READ_REPEATS
        ),
        "customer_list_first_page_ms": _median_ms(
            lambda: ticket_page(demo.bob, everything), READ_REPEATS
        ),
        "customer_admin_list_first_page_ms": _median_ms(
            lambda: ticket_page(demo.alice, everything), READ_REPEATS
        ),
    }
    results["context"] = {
        "database": connection.vendor,
        "tickets": Ticket.objects.count(),
        "open_batch": OPEN_BATCH,
        "open_repeats": OPEN_REPEATS,
        "read_repeats": READ_REPEATS,
        "deep_page": DEEP_PAGE,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return results


def _print_table(results: dict[str, Any]) -> None:
    ctx = results["context"]
    rows = [
        (f"open_ticket throughput ({ctx['open_batch']} tickets)", "tickets/s", "open_ticket_per_s"),
        ("queue, first page (staff)", "ms", "queue_first_page_ms"),
        (f"queue, page {ctx['deep_page']} (staff)", "ms", "queue_deep_page_ms"),
        ("ticket list, first page (customer)", "ms", "customer_list_first_page_ms"),
        ("ticket list, first page (customer admin)", "ms", "customer_admin_list_first_page_ms"),
    ]
    print(f"\nSupportal bench on {ctx['database']}, {ctx['tickets']} tickets (medians)")
    width = max(len(label) for label, _, _ in rows)
    for label, unit, key in rows:
        print(f"  {label:<{width}}  {results[key]:>9.2f} {unit}")


def _run_app_benches() -> dict[str, dict[str, float]]:
    sys.path.insert(0, str(BENCH_DIR))
    figures: dict[str, dict[str, float]] = {}
    for name in APP_BENCHES:
        if not (BENCH_DIR / f"{name}.py").exists():
            continue
        print(f"running {name} ...", flush=True)
        figures[name] = importlib.import_module(name).run()
    return figures


def _print_app_benches(figures: dict[str, dict[str, float]]) -> None:
    for name, values in figures.items():
        print(f"\n{name} (medians)")
        width = max((len(label) for label in values), default=0)
        for label, value in values.items():
            print(f"  {label:<{width}}  {value:>12,.2f}")


def main() -> int:
    data_dir = Path(tempfile.mkdtemp(prefix="supportal-bench-"))
    real_name = None
    started = time.perf_counter()
    try:
        real_name = _setup_django(data_dir)
        results = run()
        results["apps"] = _run_app_benches()
    finally:
        if real_name is not None:
            from django.db import connection

            connection.creation.destroy_test_db(real_name, verbosity=0)
        shutil.rmtree(data_dir, ignore_errors=True)
    results["context"]["seconds"] = round(time.perf_counter() - started, 1)
    _print_table(results)
    _print_app_benches(results["apps"])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    seconds = results["context"]["seconds"]
    print(f"\nWritten to {RESULTS.relative_to(BENCH_DIR.parent)} in {seconds} s")
    if os.environ.get("BENCH_HTTP", "1") not in {"0", "false", "no"}:
        # The real server under load over HTTP (bench/http_bench.py): its own process,
        # since Django is configured here for the throwaway in-process database.
        import subprocess

        subprocess.run([sys.executable, str(BENCH_DIR / "http_bench.py")], check=True)  # noqa: S603
    return 0


if __name__ == "__main__":
    sys.exit(main())
