"""Filing, Supportal and django-helpdesk taking turns on the same data set.

    DATABASE_URL=… BENCH_REDIS_URL=… python bench/filing_duel.py

Both servers run at once (each idle while the other is measured); then BENCH_ROUNDS rounds
(default 3) of BENCH_SUBMISSIONS filings (default 600) at BENCH_SUBMIT_CONCURRENCY, each
round measuring both, the one that goes first alternating. On a shared machine whose speed
drifts by a third within minutes, a side measured in its own block of minutes meets a
different machine than the other (``http_bench.py`` files on Supportal's side first, with
the pages, then on helpdesk's): turns give each round's pair the same moments, and the
ratio of each pair is the figure to compare. Statements left running in either database are
cancelled before each turn (``server.settle``).

Prints each turn and a summary: tickets/s, median and p95 latency, and CPU milliseconds per
filing of the web workers, the database (PostgreSQL; 0 on SQLite) and the load generator;
the median of the rounds' ratios (Supportal ÷ helpdesk, tickets/s) and the median of the
web CPU ratios.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
from pathlib import Path

import helpdesk_side
import load
import server
from http_bench import (
    DEMO_PASSWORD,
    Config,
    bench_database_url,
    generate,
    start_supportal,
    supportal_filing,
)


async def duel(config: Config, supportal_urls: list[str], helpdesk: helpdesk_side.Started,
               *, rounds: int, watch) -> list[dict[str, load.Result]]:  # fmt: skip
    filers = [
        load.client(supportal_urls[i % len(supportal_urls)])
        for i in range(config.submit_concurrency)
    ]
    for http in filers:
        fields = {"username": "bob@acmeprint.test", "password": DEMO_PASSWORD}
        await load.form_login(http, "/accounts/login/", fields)
    public = [load.client(helpdesk.web.base_url) for _ in range(config.submit_concurrency)]
    sides = {
        "supportal": (filers, await supportal_filing(filers), watch["supportal"]),
        "helpdesk": (
            public,
            await helpdesk_side.helpdesk_filing(public, helpdesk.queue_id),
            watch["helpdesk"],
        ),
    }
    results = []
    for number in range(rounds):
        order = ["supportal", "helpdesk"] if number % 2 == 0 else ["helpdesk", "supportal"]
        turn: dict[str, load.Result] = {}
        for side in order:
            clients, submit, (probe, settle_database) = sides[side]
            settle_database()
            turn[side] = await load.measure(
                side,
                clients,
                submit,
                requests=config.submissions,
                warmup=10,
                expected=(302,),
                cpu=probe,
            )
            print(f"  round {number + 1} {side:<10} {turn[side].as_dict()}", flush=True)
        results.append(turn)
    for http in filers + public:
        await http.aclose()
    return results


def summary(results: list[dict[str, load.Result]]) -> str:
    lines = [
        "| round | Supportal tickets/s | web / database / load-generator CPU ms "
        "| django-helpdesk tickets/s | web / database / load-generator CPU ms | ratio |",
        "| ---: | ---: | --- | ---: | --- | ---: |",
    ]

    def cpu(result: load.Result) -> str:
        return " / ".join(f"{result.cpu_ms[k]:.1f}" for k in ("web", "database", "load_generator"))

    ratios, web_ratios = [], []
    for number, turn in enumerate(results, 1):
        ours, theirs = turn["supportal"], turn["helpdesk"]
        rate, other = ours.as_dict()["per_second"], theirs.as_dict()["per_second"]
        ratios.append(rate / other)
        web_ratios.append(ours.cpu_ms["web"] / theirs.cpu_ms["web"])
        lines.append(
            f"| {number} | {rate} | {cpu(ours)} | {other} | {cpu(theirs)} | {rate / other:.2f} |"
        )
    lines.append(
        f"\nMedian ratio of tickets/s (Supportal ÷ django-helpdesk): "
        f"{statistics.median(ratios):.2f}; of web CPU per filing: "
        f"{statistics.median(web_ratios):.2f} (below 1: Supportal spends less)."
    )
    return "\n".join(lines)


def main() -> int:
    config = Config.from_env()
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    database_url = bench_database_url(config.n)
    work = Path(tempfile.mkdtemp(prefix="supportal-filing-duel-"))
    print(f"Filing duel: N={config.n:,}, {config.workers} workers, {rounds} rounds", flush=True)
    generate(config, database_url, work)
    ours = start_supportal(config, database_url, work, work)
    try:
        theirs = helpdesk_side.start(config, database_url, work)
        try:
            watch = {  # per side: its CPU probe, and what settles its database
                "supportal": (
                    server.cpu_probe(ours.tree_pids),
                    lambda: server.settle(database_url),
                ),
                "helpdesk": (
                    server.cpu_probe(theirs.web.tree_pids),
                    lambda: server.settle(theirs.database_url),
                ),
            }
            results = asyncio.run(duel(config, ours.base_urls, theirs, rounds=rounds, watch=watch))
        finally:
            theirs.web.stop()
    finally:
        ours.stop()
    print(f"\nload average after: {os.getloadavg()[0]:.2f}\n")
    print(summary(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
