"""Reports speed on the current database: the staff dashboard's figures and a CSV export.

    DATABASE_URL=postgres://... .venv/bin/python bench/reports_bench.py

- dashboard: every figure of /reports/dashboard/ computed from the database (the figure
  cache is off), median and p95 over several repetitions;
- export: the CSV of up to BENCH_REPORT_ROWS tickets (default 100,000) as a staff user sees
  them, written to nowhere line by line as the streaming response does: time, rows per
  second, and the peak of Python memory allocated meanwhile (tracemalloc) with the growth
  of the process's resident set (getrusage);
- timings: the first-response/resolution summary rows brought up to date first (on a fresh
  data set that is a backfill; the time per 1,000 tickets is reported).

Reads only, apart from the reports app's own summary rows."""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from supportal.accounts.models import User  # noqa: E402
from supportal.reports import exports, figures, services  # noqa: E402
from supportal.reports.queries import ReportFilters, report_tickets  # noqa: E402
from supportal.tickets.models import Ticket  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPORT_REPEATS", "5"))
EXPORT_ROWS = int(os.environ.get("BENCH_REPORT_ROWS", "100000"))
WEEKS = int(os.environ.get("BENCH_REPORT_WEEKS", "12"))


def _p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, int(len(samples) * 0.95 + 0.5) - 1)]


def _staff() -> User:
    found = User.objects.filter(role=User.Role.MANAGER, is_active=True).first()
    return found or User(role=User.Role.MANAGER, is_active=True)  # unsaved: sees everything


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run() -> dict[str, float]:
    settings.SUPPORTAL_REPORTS_CACHE_SECONDS = 0
    results: dict[str, float] = {"tickets": float(Ticket.objects.count())}

    began = time.perf_counter()
    written = services.refresh_stale_timings()
    spent = time.perf_counter() - began
    results["timings_backfilled"] = float(written)
    if written:
        results["timings_ms_per_1000"] = round(spent * 1000 / written * 1000, 1)

    samples = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        figures.dashboard_figures(weeks=WEEKS)
        samples.append((time.perf_counter() - began) * 1000)
    results["dashboard_ms_median"] = round(statistics.median(samples), 1)
    results["dashboard_ms_p95"] = round(_p95(samples), 1)

    tickets = report_tickets(_staff(), ReportFilters())[:EXPORT_ROWS]
    rss_before = _rss_mb()
    began = time.perf_counter()
    rows = size = 0
    for line in exports.csv_lines(tickets):
        rows += 1
        size += len(line)
    elapsed = time.perf_counter() - began
    results["export_rows"] = float(rows - 1)
    results["export_s"] = round(elapsed, 2)
    results["export_rows_per_s"] = round((rows - 1) / elapsed) if elapsed else 0.0
    results["export_mb_written"] = round(size / 1e6, 1)
    results["export_rss_growth_mb"] = round(max(0.0, _rss_mb() - rss_before), 1)
    # Again under tracemalloc (which slows allocation, so it is not timed): the peak of
    # Python memory held at once while the same rows stream through.
    tracemalloc.start()
    for _line in exports.csv_lines(tickets):
        pass
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    results["export_peak_python_mb"] = round(peak / 1e6, 1)
    return results


if __name__ == "__main__":
    for name, value in run().items():
        print(f"{name:28} {value:>14,.1f}")
