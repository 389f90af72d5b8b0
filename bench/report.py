"""The HTTP bench's markdown table (bench/results/http-<N>-<db>.md) and its JSON."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"

# operation key, label, helpdesk key, target (p95 ms or tickets/s), kind
ROWS = [
    ("queue", "Agent queue, first page", "staff_list", 50, "latency"),
    ("customer_list", "Customer's ticket list (Bob)", None, 50, "latency"),
    ("customer_admin_list", "Customer admin's org list (Alice)", None, 50, "latency"),
    ("staff_list", "Staff: all tickets, first page", "staff_list", None, "latency"),
    ("ticket_50_agent", "Ticket page, 50 replies (agent)", "ticket_page", 60, "latency"),
    ("ticket_50_customer", "Ticket page, 50 replies (customer)", None, 60, "latency"),
    ("kb_search", "KB search (customer)", None, None, "latency"),
    (None, "Ticket search (staff)", "search", None, "latency"),
    ("submit", "Filing through the portal form", "submit", 150, "rate"),
]


def _fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _failed_row(label: str, mine: dict | None, error: str) -> str:
    cells = [label] + (
        [_fmt(mine["median_ms"]), _fmt(mine["p95_ms"]), _fmt(mine["per_second"]),
         str(mine["queries"]), ""] if mine else ["—"] * 5
    ) + [f"failed: {error}", "—", "—", "—", ""]  # fmt: skip
    return "| " + " | ".join(cells) + " |"


def _early(result: dict | None) -> str:
    """Marks a row measured on fewer requests because it hit the time bound."""
    if result and result.get("stopped_early"):
        return f" (n={result['requests']})"
    return ""


def table(report: dict) -> str:
    ctx = report["context"]
    ours: dict = report.get("supportal", {})
    theirs: dict = (report.get("helpdesk") or {}).get("results", {})
    lines = [
        f"N = {ctx['n']:,} tickets ({ctx['dataset']['replies']:,} replies, "
        f"{ctx['open_tickets']:,} open), {ctx['database']}, {ctx['workers']} web workers"
        f"{' (one uvicorn each, clients spread over them)' if ctx.get('balanced') else ''}, "
        f"{ctx['cpus']} CPUs shared with the load generator; {ctx['requests']} requests per page "
        f"at concurrency {ctx['concurrency']}, {ctx['submissions']} submissions at concurrency "
        f"{ctx['submit_concurrency']}; jobs (the notification enqueued by filing) to "
        f"{ctx.get('jobs', 'SQLite (SqliteHuey)')}. Data set generated in {ctx['load_seconds']} s. "
        f"Run {ctx['when']}; load average {ctx.get('load_average_before', '?')} before, "
        f"{ctx.get('load_average_after', '?')} after (other work on the machine inflates "
        "the figures).",
        "",
        "| operation | Supportal median ms | p95 ms | req/s | SQL/request | target "
        "| django-helpdesk median ms | p95 ms | req/s | SQL/request | ratio |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, label, their_key, target, kind in ROWS:
        mine = ours.get(key) if key else None
        other = theirs.get(their_key) if their_key else None
        if mine is None and other is None:
            continue
        if other and "error" in other:
            lines.append(_failed_row(label, mine, other["error"]))
            continue
        goal = ""
        if target is not None and mine is not None:
            if kind == "rate":
                met = mine["per_second"] >= target
                goal = f"≥ {target}/s {'✔' if met else '✘ miss'}"
            else:
                met = mine["p95_ms"] < target
                goal = f"p95 < {target} {'✔' if met else '✘ miss'}"
        ratio = ""
        if mine and other:
            if kind == "rate":
                ratio = f"{mine['per_second'] / other['per_second']:.1f}x (rate)"
            else:
                ratio = f"{other['p95_ms'] / mine['p95_ms']:.1f}x (p95)"
        lines.append(
            "| "
            + " | ".join(
                [
                    label + (" (tickets/s)" if kind == "rate" else ""),
                    _fmt(mine and mine["median_ms"]) + _early(mine),
                    _fmt(mine and mine["p95_ms"]),
                    _fmt(mine and mine["per_second"]),
                    str(mine["queries"]) if mine else "—",
                    goal,
                    _fmt(other and other["median_ms"]) + _early(other),
                    _fmt(other and other["p95_ms"]),
                    _fmt(other and other["per_second"]),
                    str(other["queries"]) if other else "—",
                    ratio,
                ]
            )
            + " |"
        )
    lines += _cpu_table(ours, theirs)
    rss = report.get("supportal_rss_mb") or []
    if rss:
        verdict = "✔" if max(rss) < 150 else "✘ miss"
        sizes = ", ".join(f"{mb:.0f}" for mb in rss)
        lines += ["", f"Supportal web workers' RSS after the run: {sizes} MB "
                  f"(target < 150 MB each {verdict})."]  # fmt: skip
    helpdesk = report.get("helpdesk")
    if helpdesk:
        hd_rss = helpdesk.get("rss_mb") or []
        loaded = (
            "copied in by an earlier run"
            if helpdesk.get("reused")
            else f"loaded in {helpdesk.get('load_seconds', '?')} s"
        )
        lines += [
            f"django-helpdesk {helpdesk.get('version', '?')} on Django "
            f"{helpdesk.get('django', '?')}, gunicorn with the same worker count; workers' RSS "
            f"{', '.join(f'{mb:.0f}' for mb in hd_rss)} MB. Its data: the same tickets and "
            f"replies, {loaded}. Comparable rows: its "
            "staff ticket list (page + the JSON its table loads) against our queue; its ticket "
            "page against ours (agent view); its public submission form against our portal form."
        ]
    return "\n".join(lines) + "\n"


def _cpu_cell(result: dict | None) -> str:
    cpu = (result or {}).get("cpu_ms_per_request") or {}
    if not cpu:
        return "—"
    return " / ".join(_fmt(cpu.get(k)) for k in ("web", "database", "load_generator"))


def _cpu_table(ours: dict, theirs: dict) -> list[str]:
    """CPU milliseconds each request cost, by process: what the two shared cores spent."""
    rows = []
    for key, label, their_key, _target, _kind in ROWS:
        mine = ours.get(key) if key else None
        other = theirs.get(their_key) if their_key else None
        if (mine or other) and (_cpu_cell(mine) != "—" or _cpu_cell(other) != "—"):
            other = None if other and "error" in other else other
            rows.append(f"| {label} | {_cpu_cell(mine)} | {_cpu_cell(other)} |")
    if not rows:
        return []
    return [
        "",
        "CPU time per request, in ms: web workers / PostgreSQL / load generator (from "
        "/proc, over the timed requests; the three share the machine's cores).",
        "",
        "| operation | Supportal | django-helpdesk |",
        "| --- | ---: | ---: |",
        *rows,
    ]


def write_report(report: dict) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    ctx = report["context"]
    stem = f"http-{ctx['n']}-{ctx['database']}"
    text = f"# Supportal HTTP bench, {ctx['n']:,} tickets on {ctx['database']}\n\n" + table(report)
    (RESULTS_DIR / f"{stem}.md").write_text(text)
    (RESULTS_DIR / f"{stem}.json").write_text(json.dumps(report, indent=2) + "\n")
    print("\n" + text)
    print(f"Written to bench/results/{stem}.md (and .json)")
    return RESULTS_DIR / f"{stem}.md"
