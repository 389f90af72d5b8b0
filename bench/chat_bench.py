"""Live chat round trips: N concurrent customer sockets, an agent socket answering each.

A customer sends a message; the agent's socket answers it as soon as it arrives; the
round trip is the time from the customer's send until the answer reaches the customer.
Both messages are written to the database before they are broadcast, so each round trip
is two database writes and two channel-layer hops. Each customer asks every
``CHAT_BENCH_INTERVAL`` seconds (a brisk chat), for ``CHAT_BENCH_SECONDS``.

Two set-ups: one uvicorn process on the in-memory channel layer; and two uvicorn processes
on Redis, customers on one and agents on the other (skipped when Redis does not answer).
Each runs on its own SQLite file in a temporary data dir; with CHAT_BENCH_DATABASE_URL
set, the two-process set-up also runs on that PostgreSQL database (the deployment's choice
for several processes: SQLite serialises writers across processes with a lock).
Target: 500 sessions, p95 under 100 ms."""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import suppress
from pathlib import Path

from smoke import size

SESSIONS = int(os.environ.get("CHAT_BENCH_SESSIONS", str(size(500, 3))))
SECONDS = float(os.environ.get("CHAT_BENCH_SECONDS", str(size(20, 2))))
INTERVAL = float(os.environ.get("CHAT_BENCH_INTERVAL", str(size(5.0, 0.5))))
REDIS_URL = os.environ.get(
    "CHAT_BENCH_REDIS_URL", os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
)
# Optional: also run the two-process set-up on this (empty, disposable) PostgreSQL database.
DATABASE_URL = os.environ.get("CHAT_BENCH_DATABASE_URL", "")
# Optional: run only these set-ups (comma-separated: memory, redis_2proc, redis_2proc_pg).
# A smoke run (BENCH_SMOKE=1) runs the in-memory one only.
ONLY = {name for name in os.environ.get("CHAT_BENCH_ONLY", size("", "memory")).split(",") if name}
ROOT = Path(__file__).resolve().parent.parent

SETUP = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.utils import timezone
from login_session import session_key
from supportal.accounts.models import Product
from supportal.chat.models import Chat
from supportal.demo.loader import DEMO_PASSWORD, load_demo

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
demo = load_demo(with_tickets=False)

def cookie(user):
    return f"{settings.SESSION_COOKIE_NAME}={session_key(user.email, DEMO_PASSWORD)}"

customers = [demo.bob, demo.alice]
agents = [demo.agent, demo.agent_es, demo.manager, demo.ps]
product = Product.objects.get(slug="pressero")
now = timezone.now()
chats = Chat.objects.bulk_create(
    Chat(organization=demo.acme, customer=customers[i % 2], product=product,
         agent=agents[i % 4], status=Chat.Status.ACTIVE, accepted_at=now,
         subject=f"bench {i}")
    for i in range(int(sys.argv[1]))
)
agent_ids = [a.pk for a in agents]
print(json.dumps({
    "chats": [
        [c.pk, 0 if c.customer_id == demo.bob.pk else 1, agent_ids.index(c.agent_id)]
        for c in chats
    ],
    "customers": [cookie(u) for u in customers],
    "agents": [cookie(u) for u in agents],
}))
"""


def _env(data_dir: Path, redis_url: str | None, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.setdefault("DJANGO_SETTINGS_MODULE", "supportal.settings")
    env.update(
        SUPPORTAL_DATA_DIR=str(data_dir),
        LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join(
            filter(None, [str(ROOT), str(ROOT / "bench"), os.environ.get("PYTHONPATH")])
        ),
        # Rate limit per connection well above the bench's pace.
        SUPPORTAL_CHAT_RATE_MESSAGES="1000",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _prepare(data_dir: Path, database_url: str | None) -> dict:
    env = _env(data_dir, None, database_url)
    template = os.environ.get("BENCH_SQLITE_TEMPLATE")
    if template and not database_url:
        # An empty migrated database made once by bench/run.py: migrating takes a minute.
        shutil.copyfile(template, data_dir / "supportal.sqlite3")
    else:
        cli = [sys.executable, "-m", "supportal.cli"]
        subprocess.run([*cli, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    made = subprocess.run(
        [sys.executable, "-c", SETUP, str(SESSIONS)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(made.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(
    data_dir: Path, redis_url: str | None, database_url: str | None
) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "supportal.asgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning", "--ws-max-queue", "256"],
        env=_env(data_dir, redis_url, database_url),
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("uvicorn did not start")


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


async def _drive(made: dict, customer_port: int, agent_port: int) -> tuple[list[float], int]:
    from websockets.asyncio.client import connect

    async def open_socket(port: int, chat_id: int, cookie: str):
        return await connect(
            f"ws://127.0.0.1:{port}/ws/chat/{chat_id}/?after=1000000",
            additional_headers={"Cookie": cookie, "Origin": f"http://127.0.0.1:{port}"},
            open_timeout=60,
            max_queue=256,
        )

    latencies: list[float] = []
    failures = 0
    stop_at = 0.0

    async def agent_side(ws) -> None:
        async for raw in ws:
            event = json.loads(raw)
            if event["type"] == "message" and event["role"] == "customer":
                await ws.send(json.dumps({"type": "message", "body": "a" + event["body"][1:]}))

    async def customer_side(ws) -> None:
        nonlocal failures
        await asyncio.sleep(random.uniform(0, INTERVAL))
        n = 0
        while time.monotonic() < stop_at:
            n += 1
            started = time.perf_counter()
            await ws.send(json.dumps({"type": "message", "body": f"q{n}"}))
            try:
                async with asyncio.timeout(10):
                    while True:
                        event = json.loads(await ws.recv())
                        if event["type"] == "message" and event["body"] == f"a{n}":
                            break
                latencies.append((time.perf_counter() - started) * 1000)
            except TimeoutError:
                failures += 1
            await asyncio.sleep(max(0.0, INTERVAL - (time.perf_counter() - started)))

    sockets = []
    agents = []
    customers = []
    for chat_id, customer, agent in made["chats"]:
        a = await open_socket(agent_port, chat_id, made["agents"][agent])
        c = await open_socket(customer_port, chat_id, made["customers"][customer])
        sockets += [a, c]
        agents.append(a)
        customers.append(c)
    for ws in sockets:  # the replayed state on connect
        with suppress(TimeoutError):
            async with asyncio.timeout(5):
                await ws.recv()
    stop_at = time.monotonic() + SECONDS
    agent_tasks = [asyncio.create_task(agent_side(a)) for a in agents]
    await asyncio.gather(*(customer_side(c) for c in customers))
    for task in agent_tasks:
        task.cancel()
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    return latencies, failures


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else float("nan")


def _measure(
    made: dict, data_dir: Path, redis_url: str | None, database_url: str | None
) -> dict[str, float]:
    servers = [_serve(data_dir, redis_url, database_url)]
    if redis_url:
        servers.append(_serve(data_dir, redis_url, database_url))
    try:
        customer_port, agent_port = servers[0][1], servers[-1][1]
        latencies, failures = asyncio.run(_drive(made, customer_port, agent_port))
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait(timeout=20)
    return {
        "round_trips": float(len(latencies)),
        "median_ms": statistics.median(latencies) if latencies else float("nan"),
        "p95_ms": _p95(latencies),
        "timeouts": float(failures),
    }


def run() -> dict[str, float]:
    results: dict[str, float] = {"sessions": float(SESSIONS)}
    setups: list[tuple[str, str | None, str | None]] = [("memory", None, None)]
    if _redis_answers():
        setups.append(("redis_2proc", REDIS_URL, None))
        if DATABASE_URL:
            setups.append(("redis_2proc_pg", REDIS_URL, DATABASE_URL))
    if ONLY:
        setups = [setup for setup in setups if setup[0] in ONLY]
    for name, redis_url, database_url in setups:
        data_dir = Path(tempfile.mkdtemp(prefix=f"supportal-chat-bench-{name}-"))
        try:
            made = _prepare(data_dir, database_url)
            for key, value in _measure(made, data_dir, redis_url, database_url).items():
                results[f"{name}_{key}"] = value
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
    return results


if __name__ == "__main__":
    figures = run()
    print(f"chat bench: {SESSIONS} sessions, one question every {INTERVAL:g} s, {SECONDS:g} s")
    for label, value in figures.items():
        print(f"  {label:<26} {value:>10.2f}")
