"""django-helpdesk side by side (BENCH_HELPDESK=1): its latest release from PyPI in its
own virtualenv (bench/.helpdesk-venv), a generated minimal project
(bench/helpdesk_project), the same data set copied in, gunicorn with the same worker
count, and the comparable operations over real HTTP with the same load generator.

Comparable operations: the staff ticket list (the page plus the JSON its table loads, as
a browser does), a ticket page (the same 50-reply tickets, same ids), ticket search, and
filing through its public submission form (anonymous, CSRF, multipart POST)."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import load
import server

BENCH_DIR = Path(__file__).resolve().parent
VENV = BENCH_DIR / ".helpdesk-venv"
PROJECT = BENCH_DIR / "helpdesk_project"
PACKAGES = ["django-helpdesk", "gunicorn", "psycopg[binary]"]
DATATABLES = re.compile(r'"url": "(/datatables_ticket_list/[^"]+)"')
SEARCH_WORDS = ["shipping", "order", "payment", "template"]


def ensure_venv() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        print("django-helpdesk: creating bench/.helpdesk-venv", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)  # noqa: S603
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)  # noqa: S603
    # Latest release each run: pip upgrades only when PyPI has a newer one.
    subprocess.run(  # noqa: S603
        [str(python), "-m", "pip", "install", "-q", "--upgrade", *PACKAGES], check=True
    )
    return python


def version_of(python: Path, package: str) -> str:
    out = subprocess.run(  # noqa: S603
        [str(python), "-m", "pip", "show", package], capture_output=True, text=True, check=True
    ).stdout
    return next((line.split(":", 1)[1].strip() for line in out.splitlines()
                 if line.startswith("Version:")), "?")  # fmt: skip


def helpdesk_database_url(source_url: str) -> str:
    if source_url.startswith("postgres"):
        parts = urlsplit(source_url)
        name = parts.path.lstrip("/") + "_helpdesk"
        return urlunsplit(parts._replace(path=f"/{name}"))
    source = Path(source_url[len("sqlite:///") :])
    return f"sqlite:///{source.with_name(source.stem + '-helpdesk.sqlite3')}"


async def helpdesk_filing(public: list[load.Client], queue_id: int) -> load.Request:
    """helpdesk's public submission form, by anonymous clients (``public``), filled as
    Supportal's filers fill the portal form."""

    def fields(index: int) -> dict[str, str]:
        return {
            "queue": str(queue_id),
            "title": f"Bench ticket {index}: shipping options on the storefront",
            "body": "Where do I change the **shipping** options?\n\nThanks!",
            "priority": "3",
            "submitter_email": "bob@acmeprint.test",
        }

    return await load.form_filing(public, "/tickets/submit/", fields, "attachment")


async def measure(
    config,
    base_url: str,
    fifty: list[int],
    queue_id: int,
    cpu=None,
    settle_database=lambda: 0,
) -> dict[str, dict]:
    c = config.concurrency
    staff = [load.client(base_url) for _ in range(c)]
    for http in staff:
        fields = {"username": "agent@vendor.test", "password": "supportal-demo"}
        await load.form_login(http, "/login/", fields)
    results: dict[str, load.Result] = {}

    async def page_and_table(http: load.Client, path: str) -> load.Response:
        page = await http.get(path)
        load.check(page, (200,))
        found = DATATABLES.search(page.text)
        if not found:
            raise load.BenchError("no datatables URL on helpdesk's ticket list")
        table = await http.get(found.group(1), params={"draw": "1", "start": "0", "length": "25"})
        queries = int(page.headers.get("X-Query-Count", 0))
        queries += int(table.headers.get("X-Query-Count", 0))
        table.headers["X-Query-Count"] = str(queries)
        return table

    async def staff_list(http: load.Client, index: int) -> load.Response:
        return await page_and_table(http, "/tickets/")

    async def search(http: load.Client, index: int) -> load.Response:
        return await page_and_table(http, f"/tickets/?q={SEARCH_WORDS[index % 4]}")

    async def ticket_page(http: load.Client, index: int) -> load.Response:
        return await http.get(f"/tickets/{fifty[index % len(fifty)]}/")

    failed: dict[str, dict] = {}
    for name, request in [("staff_list", staff_list), ("ticket_page", ticket_page),
                          ("search", search)]:  # fmt: skip
        if cancelled := settle_database():
            print(f"  helpdesk: cancelled {cancelled} statement(s) left running", flush=True)
        try:
            results[name] = await load.measure(
                name, staff, request, requests=config.requests, warmup=2, cpu=cpu
            )
        except load.BenchError as exc:  # e.g. gunicorn's 30 s worker timeout: a 500
            status = re.search(r"answered (\d+)", str(exc))
            failed[name] = {"error": f"HTTP {status.group(1) if status else '?'}"}
            print(f"  helpdesk {name:<13} FAILED {exc!s:.300}", flush=True)
            continue
        print(f"  helpdesk {name:<13} {results[name].as_dict()}", flush=True)

    if cancelled := settle_database():
        print(f"  helpdesk: cancelled {cancelled} statement(s) left running", flush=True)
    public = [load.client(base_url) for _ in range(config.submit_concurrency)]
    submit = await helpdesk_filing(public, queue_id)
    results["submit"] = await load.measure(
        "submit",
        public,
        submit,
        requests=config.submissions,
        warmup=2,
        expected=(302,),
        cpu=cpu,
    )
    print(f"  helpdesk {'submit':<13} {results['submit'].as_dict()}", flush=True)
    for http in staff + public:
        await http.aclose()
    return {**{name: result.as_dict() for name, result in results.items()}, **failed}


@dataclass
class Started:
    """helpdesk's server on its copy of the data set."""

    python: Path
    database_url: str
    web: server.Server
    queue_id: int
    load_seconds: float
    reused: bool  # the copy an earlier run loaded


def start(config, source_url: str, work: Path) -> Started:
    """Install or upgrade django-helpdesk, copy the data set in, start gunicorn."""
    python = ensure_venv()
    database_url = helpdesk_database_url(source_url)
    if database_url.startswith("postgres"):
        from http_bench import ensure_postgres_database

        ensure_postgres_database(database_url)
    env = {
        **os.environ,
        "HELPDESK_DATABASE_URL": database_url,
        "SUPPORTAL_SOURCE_URL": source_url,
        "HELPDESK_MEDIA_ROOT": str(work / "helpdesk-media"),
        "DJANGO_SETTINGS_MODULE": "settings",
    }
    began = time.perf_counter()
    loaded = subprocess.run(  # noqa: S603
        [str(python), str(PROJECT / "load_data.py")],
        env=env,
        check=True,
        cwd=PROJECT,
        stdout=subprocess.PIPE,  # its errors still reach the terminal
        text=True,
    )
    print(loaded.stdout, end="", flush=True)
    load_seconds = round(time.perf_counter() - began, 1)
    queue_id = int(
        subprocess.run(  # noqa: S603
            [str(python), "-c", "import django; django.setup(); from helpdesk.models import "
             "Queue; print(Queue.objects.get(slug='pressero').pk)"],
            env=env, cwd=PROJECT, capture_output=True, text=True, check=True,
        ).stdout.strip()
    )  # fmt: skip
    port = server.free_port()
    gunicorn = [
        str(VENV / "bin" / "gunicorn"), "wsgi:application", "--workers", str(config.workers),
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip
    web = server.start(
        "helpdesk", gunicorn, env=env, port=port, log_dir=work, ready_path="/login/", cwd=PROJECT
    )
    return Started(python, database_url, web, queue_id, load_seconds, "reusing" in loaded.stdout)


def run(config, source_url: str, work: Path) -> dict:
    import json

    started = start(config, source_url, work)
    web = started.web
    fifty = json.loads((work / "dataset.json").read_text())["fifty_reply_ticket_ids"]
    try:
        probe = server.cpu_probe(web.tree_pids)
        results = asyncio.run(
            measure(
                config,
                web.base_url,
                fifty,
                started.queue_id,
                cpu=probe,
                settle_database=lambda: server.settle(started.database_url),
            )
        )
        rss = [round(mb, 1) for mb in web.worker_rss_mb()]
    finally:
        web.stop()
    return {
        "results": results,
        "rss_mb": rss,
        "version": version_of(started.python, "django-helpdesk"),
        "django": version_of(started.python, "Django"),
        "load_seconds": started.load_seconds,
        "reused": started.reused,
    }
