"""`make bench`: how fast the ticket write path and the queue/list reads are.

Runs on a throwaway database: a fresh SQLite file in a temp dir, or, when DATABASE_URL
is set, Django's test database beside it (``test_<name>``, dropped afterwards) so a real
database is never written to. Prints medians and writes bench/results/latest.json.
Timings are for comparing commits on one machine; nothing asserts on them.

Then (unless BENCH_HTTP=0) the HTTP part, bench/http_bench.py: the real server on a
generated data set of BENCH_N tickets, under a bounded load over loopback, and with
BENCH_HELPDESK=1 django-helpdesk side by side. See docs/deploy.md ("Measuring").

Each step runs even when an earlier one failed; a failed step prints why, and the run
exits 1 at the end naming the failed steps. BENCH_SMOKE=1 runs every step at a tiny size
(`make test` does, to catch a bench that no longer runs).
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
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
RESULTS = BENCH_DIR / "results" / "latest.json"

from smoke import SMOKE, size  # noqa: E402

OPEN_BATCH = size(500, 20)  # tickets per throughput repetition
OPEN_REPEATS = size(3, 1)
QUEUE_DEPTH = size(5000, 60)  # open tickets in the queue for the read benchmarks
READ_REPEATS = size(25, 3)
DEEP_PAGE = size(100, 2)  # the page number (of SUPPORTAL_PAGE_SIZE) fetched as "deep"
# Each app's benchmark: bench/<name>.py with run() -> {label: figure}, run after the core one
# on the same throwaway database.
APP_BENCHES = [
    "sla_bench",
    "kb_bench",
    "billing_bench",
    "intake_bench",
    "news_status_ideas_bench",
    "chat_bench",
    "reports_bench",
]


def _setup_django(data_dir: Path) -> str | None:
    """Configure Django on a throwaway database.

    Returns the real database's name when the bench runs on a test copy of it. On SQLite,
    also leaves an empty migrated copy as BENCH_SQLITE_TEMPLATE for the later steps, which
    would each spend a minute migrating their own."""
    os.environ["SUPPORTAL_DATA_DIR"] = str(data_dir)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        os.environ.pop("DATABASE_URL", None)  # the fresh file in data_dir, never a real one
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
        template = data_dir / "template.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(template)])
        os.environ["BENCH_SQLITE_TEMPLATE"] = str(template)
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


def _step(name: str, failed: list[str], fn: Callable[[], Any]) -> Any:
    """Run one step; a failure is printed and recorded, and the next step runs."""
    began = time.perf_counter()
    print(f"running {name} ...", flush=True)
    try:
        result = fn()
    except Exception:  # noqa: BLE001 - any failure of a step is reported, not raised
        traceback.print_exc()
        print(f"FAILED: {name} ({time.perf_counter() - began:.1f} s)", flush=True)
        failed.append(name)
        return None
    print(f"{name} done in {time.perf_counter() - began:.1f} s", flush=True)
    return result


def _run_app_benches(failed: list[str]) -> dict[str, dict[str, float]]:
    figures: dict[str, dict[str, float]] = {}
    for name in APP_BENCHES:
        if not (BENCH_DIR / f"{name}.py").exists():
            continue
        result = _step(name, failed, lambda name=name: importlib.import_module(name).run())
        if result is not None:
            figures[name] = result
    return figures


def _print_app_benches(figures: dict[str, dict[str, float]]) -> None:
    for name, values in figures.items():
        print(f"\n{name} (medians)")
        width = max((len(label) for label in values), default=0)
        for label, value in values.items():
            print(f"  {label:<{width}}  {value:>12,.2f}")


def _http_bench() -> None:
    # The real server under load over HTTP (bench/http_bench.py): its own process, since
    # Django is configured here for the throwaway in-process database.
    import subprocess

    done = subprocess.run([sys.executable, str(BENCH_DIR / "http_bench.py")])  # noqa: S603, PLW1510
    if done.returncode != 0:
        raise RuntimeError(f"bench/http_bench.py exited with {done.returncode}")


def main() -> int:
    data_dir = Path(tempfile.mkdtemp(prefix="supportal-bench-"))
    real_name = None
    failed: list[str] = []
    started = time.perf_counter()
    results: dict[str, Any] | None = None
    try:
        real_name = _step("setup", failed, lambda: _setup_django(data_dir))
        if "setup" not in failed:
            results = _step("core", failed, run)
        apps = _run_app_benches(failed)
    finally:
        if real_name is not None:
            from django.db import connection

            connection.creation.destroy_test_db(real_name, verbosity=0)
        shutil.rmtree(data_dir, ignore_errors=True)
    if results is not None:
        results["apps"] = apps
        results["context"]["seconds"] = round(time.perf_counter() - started, 1)
        _print_table(results)
        _print_app_benches(apps)
        if not SMOKE:  # a smoke run's figures mean nothing; keep the last real ones
            RESULTS.parent.mkdir(parents=True, exist_ok=True)
            RESULTS.write_text(json.dumps(results, indent=2) + "\n")
            print(f"\nWritten to {RESULTS.relative_to(BENCH_DIR.parent)}")
    if os.environ.get("BENCH_HTTP", "1") not in {"0", "false", "no"}:
        _step("http_bench", failed, _http_bench)
    seconds = round(time.perf_counter() - started, 1)
    if failed:
        print(f"\nmake bench: FAILED steps: {', '.join(failed)} ({seconds} s)", flush=True)
        return 1
    print(f"\nmake bench: every step passed ({seconds} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
