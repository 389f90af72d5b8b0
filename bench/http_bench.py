"""The HTTP part of `make bench`: the real server under a bounded load, on loopback.

1. Generates the data set (bench/generate.py; N = BENCH_N, default 10,000) into a bench
   database of its own, reused while N, seed and migrations are unchanged: an SQLite file
   under var/bench/, or, when DATABASE_URL is PostgreSQL, the database ``<name>_bench`` on
   the same server (BENCH_DATABASE_URL overrides either).
2. Starts uvicorn with BENCH_WORKERS workers (default 2) against it, with the bench-only
   ``X-Query-Count`` header on, and measures over real HTTP: the agent queue, the ticket
   lists, a ticket page with 50 replies, filing through the portal form (login, CSRF,
   multipart POST), KB search. Then each worker's RSS.
3. With BENCH_HELPDESK=1, the same for django-helpdesk (bench/helpdesk_side.py) on the
   same data set, side by side.

Writes bench/results/http-<N>-<vendor>.{md,json} and prints the table. Settings (env):
BENCH_N, BENCH_SEED, BENCH_WORKERS, BENCH_REQUESTS (per page, 300), BENCH_SUBMISSIONS
(600), BENCH_CONCURRENCY (pages, default = workers), BENCH_SUBMIT_CONCURRENCY
(default 2 x workers), BENCH_HELPDESK, BENCH_FORCE_GENERATE=1, BENCH_ONLY (page names to
measure, comma-separated; filing always runs), BENCH_REDIS_URL (jobs to Redis).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import load  # noqa: E402
import server  # noqa: E402
from report import write_report  # noqa: E402
from smoke import size  # noqa: E402

DEMO_PASSWORD = "supportal-demo"
KB_QUERIES = ["shipping", "order confirmation email", "payment error", "template font"]


@dataclass(frozen=True)
class Config:
    n: int
    seed: int
    workers: int
    requests: int
    submissions: int
    concurrency: int
    submit_concurrency: int
    helpdesk: bool
    force: bool
    balance: bool

    @classmethod
    def from_env(cls) -> Config:
        workers = int(os.environ.get("BENCH_WORKERS", "2"))
        return cls(
            n=int(os.environ.get("BENCH_N", str(size(10000, 200)))),
            seed=int(os.environ.get("BENCH_SEED", "42")),
            workers=workers,
            requests=int(os.environ.get("BENCH_REQUESTS", str(size(300, 12)))),
            submissions=int(os.environ.get("BENCH_SUBMISSIONS", str(size(600, 12)))),
            concurrency=int(os.environ.get("BENCH_CONCURRENCY", str(workers))),
            submit_concurrency=int(os.environ.get("BENCH_SUBMIT_CONCURRENCY", str(2 * workers))),
            helpdesk=os.environ.get("BENCH_HELPDESK", "") in {"1", "true", "yes"},
            force=os.environ.get("BENCH_FORCE_GENERATE", "") in {"1", "true", "yes"},
            balance=os.environ.get("BENCH_BALANCE", "1") not in {"0", "false", "no"},
        )


def bench_database_url(n: int) -> str:
    explicit = os.environ.get("BENCH_DATABASE_URL")
    if explicit:
        return explicit
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(base)
        name = parts.path.lstrip("/") or "supportal"
        if not name.endswith("_bench"):
            name += "_bench"
        return urlunsplit(parts._replace(path=f"/{name}"))
    path = PROJECT_DIR / "var" / "bench" / f"supportal-{n}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def ensure_postgres_database(url: str) -> None:
    """CREATE DATABASE when it does not exist yet (connecting to the server's postgres db)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def generate(config: Config, database_url: str, data_dir: Path) -> dict:
    if database_url.startswith("postgres"):
        ensure_postgres_database(database_url)
    meta = data_dir / "dataset.json"
    command = [sys.executable, str(BENCH_DIR / "generate.py"), "--n", str(config.n)]
    command += ["--seed", str(config.seed), "--json", str(meta)]
    if config.force:
        command.append("--force")
    env = {**os.environ, "DATABASE_URL": database_url, "SUPPORTAL_DATA_DIR": str(data_dir)}
    subprocess.run(command, env=env, check=True)  # noqa: S603
    return json.loads(meta.read_text())


def server_env(database_url: str, data_dir: Path) -> dict[str, str]:
    env = {
        "DATABASE_URL": database_url,
        "SUPPORTAL_DATA_DIR": str(data_dir),
        "SUPPORTAL_QUERY_COUNT_HEADER": "1",
        "SESSION_COOKIE_SECURE": "false",  # plain HTTP on loopback
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
    }
    # Jobs go to Redis when the bench is given one, as in a scaled deployment; otherwise
    # to the SQLite job queue in the data dir (nobody consumes them during the run).
    if os.environ.get("BENCH_REDIS_URL"):
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
        env["SUPPORTAL_HUEY_NAME"] = f"supportal-bench-{os.getpid()}"
    else:
        env["REDIS_URL"] = ""
    return env


def start_supportal(
    config: Config, database_url: str, data_dir: Path, log_dir: Path
) -> server.Servers:
    """``workers`` uvicorn worker processes. Balanced (the default): one single-worker
    uvicorn per port, the clients spread over them as the reverse proxy of docs/deploy.md
    spreads them over web processes. uvicorn's own ``--workers`` share one socket and let
    the kernel pick, which at the bench's low concurrency often hands every keep-alive
    connection to one worker while the other idles (seen: 65 % and 26 % CPU)."""
    instances = config.workers if config.balance else 1
    workers_each = 1 if config.balance else config.workers
    started = []
    try:
        for number in range(instances):
            port = server.free_port()
            command = [
                sys.executable, "-m", "uvicorn", "supportal.asgi:application",
                "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers_each),
                "--lifespan", "off", "--no-access-log", "--log-level", "warning",
            ]  # fmt: skip
            started.append(
                server.start(
                    f"supportal-{number}",
                    command,
                    env=server_env(database_url, data_dir),
                    port=port,
                    log_dir=log_dir,
                    ready_path="/healthz",
                    cwd=PROJECT_DIR,
                )
            )
    except BaseException:
        server.Servers(started).stop()
        raise
    return server.Servers(started)


def filing_fields(index: int) -> dict[str, str]:
    """What a customer types into the portal form for the ``index``-th bench filing."""
    return {
        "product": "pressero" if index % 2 else "edocbuilder",
        "kind": "question" if index % 3 else "bug",
        "subject": f"Bench ticket {index}: shipping options on the storefront",
        "description": "Where do I change the **shipping** options?\n\nThanks!",
        "site_name": "Acme Storefront",
        "site_url": "https://store.acmeprint.test",
    }


async def supportal_filing(filers: list[load.Client]) -> load.Request:
    """The portal form's filing, by logged-in customers' clients (``filers``)."""
    return await load.form_filing(filers, "/tickets/new/", filing_fields, "attachments")


async def measure_supportal(
    config: Config, base_urls: list[str], dataset: dict, cpu=None
) -> dict[str, dict]:
    c = config.concurrency
    people: dict[str, list[load.Client]] = {}
    logins = {
        "agent": "agent@vendor.test",
        "bob": "bob@acmeprint.test",
        "alice": "alice@acmeprint.test",
    }
    for who, email in logins.items():
        count = max(c, config.submit_concurrency) if who in {"bob", "alice"} else c
        # Client i talks to web process i mod N: each group's first clients cover them all.
        people[who] = [load.client(base_urls[i % len(base_urls)]) for i in range(count)]
        for http in people[who]:
            fields = {"username": email, "password": DEMO_PASSWORD}
            await load.form_login(http, "/accounts/login/", fields)
    fifty = dataset["fifty_reply_ticket_ids"]
    results: dict[str, load.Result] = {}

    def get(path_for):
        async def request(http: load.Client, index: int) -> load.Response:
            return await http.get(path_for(index))

        return request

    warm = 10
    pages = [
        ("queue", "agent", lambda i: "/tickets/queue/"),
        ("customer_list", "bob", lambda i: "/tickets/"),
        ("customer_admin_list", "alice", lambda i: "/tickets/"),
        ("staff_list", "agent", lambda i: "/tickets/"),
        ("ticket_50_agent", "agent", lambda i: f"/tickets/{fifty[i % len(fifty)]}/"),
        ("ticket_50_customer", "bob", lambda i: f"/tickets/{fifty[i % len(fifty)]}/"),
        ("kb_search", "bob", lambda i: f"/kb/?q={KB_QUERIES[i % len(KB_QUERIES)]}"),
    ]
    only = {n for n in os.environ.get("BENCH_ONLY", "").split(",") if n}
    for name, who, path in pages:
        if only and name not in only:
            continue
        results[name] = await load.measure(
            name, people[who][:c], get(path), requests=config.requests, warmup=warm, cpu=cpu
        )
        print(f"  {name:<22} {results[name].as_dict()}", flush=True)

    filers = people["bob"][: config.submit_concurrency]
    submit = await supportal_filing(filers)
    results["submit"] = await load.measure(
        "submit",
        filers,
        submit,
        requests=config.submissions,
        warmup=warm,
        expected=(302,),
        cpu=cpu,
    )
    print(f"  {'submit':<22} {results['submit'].as_dict()}", flush=True)
    for group in people.values():
        for http in group:
            await http.aclose()
    return {name: result.as_dict() for name, result in results.items()}


def run(config: Config) -> dict:
    started = time.perf_counter()
    database_url = bench_database_url(config.n)
    vendor = "postgresql" if database_url.startswith("postgres") else "sqlite"
    work = Path(tempfile.mkdtemp(prefix="supportal-http-bench-"))
    print(f"HTTP bench: N={config.n:,} on {vendor}, {config.workers} workers", flush=True)
    began = time.perf_counter()
    dataset = generate(config, database_url, work)
    prepare_seconds = round(time.perf_counter() - began, 1)
    report: dict = {
        "context": {
            "n": config.n,
            "seed": config.seed,
            "database": vendor,
            "workers": config.workers,
            "balanced": config.balance,
            "requests": config.requests,
            "submissions": config.submissions,
            "concurrency": config.concurrency,
            "submit_concurrency": config.submit_concurrency,
            "jobs": "Redis" if os.environ.get("BENCH_REDIS_URL") else "SQLite (SqliteHuey)",
            "load_seconds": dataset["load_seconds"],
            "prepare_seconds": prepare_seconds,
            "dataset": {k: dataset[k] for k in ("tickets", "replies", "organizations", "users")},
            "open_tickets": dataset["open_tickets"],
            "cpus": os.cpu_count(),
            "load_average_before": round(os.getloadavg()[0], 2),
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
        }
    }
    web = start_supportal(config, database_url, work, work)
    try:
        probe = server.cpu_probe(web.tree_pids)
        report["supportal"] = asyncio.run(
            measure_supportal(config, web.base_urls, dataset, cpu=probe)
        )
        report["supportal_rss_mb"] = [round(mb, 1) for mb in web.worker_rss_mb()]
    finally:
        web.stop()
    if config.helpdesk:
        import helpdesk_side

        report["helpdesk"] = helpdesk_side.run(config, database_url, work)
    report["context"]["load_average_after"] = round(os.getloadavg()[0], 2)
    report["context"]["seconds"] = round(time.perf_counter() - started, 1)
    write_report(report)
    return report


def main() -> int:
    # A SIGTERM (e.g. a CI timeout) unwinds like Ctrl-C, so the servers are stopped.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    run(Config.from_env())
    return 0


if __name__ == "__main__":
    sys.exit(main())
