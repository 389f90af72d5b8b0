"""Two "machines" on loopback: two web processes and two job consumers sharing one
PostgreSQL database and one Redis, as docs/deploy.md describes.

Tickets are filed through both web processes at once (the JSON API with tokens). Then:

- every ticket exists exactly once, with a unique number;
- every notification job ran once: each ticket's "ticket received" mail (supportal.intake
  writes it to the outbox in the filing transaction and enqueues its send job on commit)
  was sent exactly once — the outbox row says one attempt and the SMTP listener in this
  test received its Message-ID exactly once;
- periodic jobs did not double fire: both consumers run Huey's scheduler, so both enqueue
  ``check_sla_clocks_task`` every minute (the consumers' logs show it); a few tickets'
  first-response clocks are made overdue, and each is breached exactly once (one
  ``sla_breached`` audit event per ticket), because the job claims each clock with a
  conditional UPDATE.

Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth) and Redis at
127.0.0.1:6379; skipped otherwise. Creates a throwaway database and a unique Huey name,
and removes both afterwards. Takes a minute or two (it waits for a scheduler tick).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[2]
PG = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/0"
TICKETS_PER_WEB = 15
OVERDUE = 4
PASSWORD = "supportal-demo"


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _services_or_skip() -> None:
    if not _answers(5432):
        pytest.skip("needs PostgreSQL at 127.0.0.1:5432")
    if not _answers(6379):
        pytest.skip("needs Redis at 127.0.0.1:6379")
    import psycopg
    import redis

    try:
        psycopg.connect(f"{PG}/postgres", connect_timeout=3).close()
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "not available here"
        pytest.skip(f"PostgreSQL or Redis does not answer: {exc}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """An SMTP listener counting every Message-ID it receives."""

    def __init__(self) -> None:
        self.message_ids: Counter[str] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's API
        found = re.search(rb"^Message-ID:\s*(<[^>]+>)", envelope.content, re.M | re.I)
        with self.lock:
            self.message_ids[found.group(1).decode() if found else "?"] += 1
        return "250 OK"


@pytest.fixture
def cluster(tmp_path) -> Iterator[dict]:
    _services_or_skip()
    import psycopg
    import redis
    from aiosmtpd.controller import Controller
    from cryptography.fernet import Fernet

    name = f"supportal_two_{uuid.uuid4().hex[:8]}"
    huey_name = f"supportal-two-{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    inbox = Inbox()
    smtp_port = _free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{name}",
        "REDIS_URL": REDIS,
        "SUPPORTAL_HUEY_NAME": huey_name,
        "SUPPORTAL_HUEY_IMMEDIATE": "false",
        "SUPPORTAL_DATA_DIR": str(tmp_path / "shared"),  # the shared volume
        "SECRET_KEY": "two-machines-" + uuid.uuid4().hex,
        "SUPPORTAL_FERNET_KEYS": Fernet.generate_key().decode(),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "SESSION_COOKIE_SECURE": "false",
        "DEBUG": "false",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
    children: list[subprocess.Popen] = []
    logs: dict[str, Path] = {}

    def start(label: str, *command: str) -> None:
        logs[label] = tmp_path / f"{label}.log"
        children.append(
            subprocess.Popen(  # noqa: S603
                [sys.executable, *command],
                env=env,
                cwd=PROJECT,
                stdout=logs[label].open("wb"),
                stderr=subprocess.STDOUT,
            )
        )

    try:
        cli = [sys.executable, "-m", "supportal.cli"]
        subprocess.run([*cli, "migrate", "--noinput", "-v", "0"], env=env, check=True)  # noqa: S603
        subprocess.run([*cli, "demo"], env=env, check=True, capture_output=True)  # noqa: S603
        webs = []
        for label in ("web1", "web2"):
            port = _free_port()
            start(label, "-m", "uvicorn", "supportal.asgi:application", "--host", "127.0.0.1",
                  "--port", str(port), "--lifespan", "off", "--no-access-log")  # fmt: skip
            webs.append(f"http://127.0.0.1:{port}")
        start("jobs1", "-m", "supportal.cli", "run_huey")
        start("jobs2", "-m", "supportal.cli", "run_huey")
        for base in webs:
            _wait_ready(base, children)
        yield {"webs": webs, "db": f"{PG}/{name}", "inbox": inbox, "logs": logs}
    finally:
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        smtp.stop()
        client = redis.Redis.from_url(REDIS)
        for key in client.scan_iter(f"*{huey_name}*"):
            client.delete(key)
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wait_ready(base: str, children: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children):
            raise AssertionError("a process of the cluster exited at start")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{base} never became ready")


def _token(base: str, email: str) -> str:
    response = httpx.post(
        f"{base}/api/v1/auth/token", json={"email": email, "password": PASSWORD}, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()["token"]


def _file(base: str, token: str, subject: str) -> dict:
    response = httpx.post(
        f"{base}/api/v1/tickets",
        json={"product": "pressero", "kind": "question", "subject": subject,
              "description": "Where do I change the shipping options?"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )  # fmt: skip
    assert response.status_code == 201, response.text
    return response.json()


def _query(db: str, sql: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def _wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def test_two_web_processes_and_two_consumers_share_one_database_and_one_redis(cluster):
    webs, db, inbox = cluster["webs"], cluster["db"], cluster["inbox"]
    tokens = {base: _token(base, email)
              for base, email in zip(webs, ["bob@acmeprint.test", "alice@acmeprint.test"],
                                     strict=True)}  # fmt: skip
    before = {row[0] for row in _query(db, "SELECT id FROM tickets_ticket")}

    # Filing through both web processes at once.
    jobs = [
        (base, f"Two machines {base[-5:]} #{n}") for base in webs for n in range(TICKETS_PER_WEB)
    ]
    with ThreadPoolExecutor(max_workers=8) as pool:
        filed = list(pool.map(lambda job: _file(job[0], tokens[job[0]], job[1]), jobs))

    # Every ticket exists once, numbered once.
    rows = _query(db, "SELECT id, number, subject FROM tickets_ticket WHERE NOT (id = ANY(%s))",
                  (list(before),))  # fmt: skip
    assert sorted(subject for _, _, subject in rows) == sorted(subject for _, subject in jobs)
    assert len({number for _, number, _ in rows}) == len(jobs)
    assert {t["id"] for t in filed} == {row[0] for row in rows}
    new_ids = [row[0] for row in rows]

    # Every notification job ran once: one "ticket received" mail per ticket, sent once.
    def all_sent() -> bool:
        sent = _query(db, "SELECT count(*) FROM intake_outboundemail WHERE ticket_id = ANY(%s) "
                      "AND status = 'sent'", (new_ids,))[0][0]  # fmt: skip
        return sent >= len(jobs)

    _wait_until(all_sent, 90, "the notification jobs")
    outbox = _query(db, "SELECT ticket_id, message_id, attempts, status, template "
                    "FROM intake_outboundemail WHERE ticket_id = ANY(%s)", (new_ids,))  # fmt: skip
    received = [r for r in outbox if r[4].endswith("ticket_received")]
    assert sorted(r[0] for r in received) == sorted(new_ids)
    assert all(r[2] == 1 and r[3] == "sent" for r in outbox), outbox
    time.sleep(2)  # a duplicate send, if any, would arrive now
    with inbox.lock:
        assert all(inbox.message_ids[r[1]] == 1 for r in outbox), inbox.message_ids

    # Periodic jobs do not double fire: make a few first-response clocks overdue and let
    # both consumers' schedulers enqueue the minute's SLA check.
    overdue = new_ids[:OVERDUE]
    marked = time.time()
    _query(db, "UPDATE sla_slaclock SET due_at = now() - interval '1 minute' "
           "WHERE ticket_id = ANY(%s) AND stopped_at IS NULL AND paused_at IS NULL "
           "RETURNING id", (overdue,))  # fmt: skip

    def breached() -> bool:
        count = _query(db, "SELECT count(*) FROM tickets_auditevent WHERE ticket_id = ANY(%s) "
                       "AND action = 'sla_breached'", (overdue,))[0][0]  # fmt: skip
        return count >= OVERDUE

    _wait_until(breached, 150, "the periodic SLA check")
    # Let both consumers finish that minute's runs (each scheduler enqueued one).
    time.sleep(max(0.0, 8 - (time.time() % 60)) + 5)
    events = _query(db, "SELECT ticket_id, count(*) FROM tickets_auditevent WHERE "
                    "ticket_id = ANY(%s) AND action = 'sla_breached' GROUP BY ticket_id",
                    (overdue,))  # fmt: skip
    assert dict(events) == dict.fromkeys(overdue, 1)
    flags = _query(db, "SELECT sla_breached FROM tickets_ticket WHERE id = ANY(%s)", (overdue,))
    assert all(flag for (flag,) in flags)
    for label in ("jobs1", "jobs2"):
        log = cluster["logs"][label].read_text(errors="replace")
        assert "check_sla_clocks_task" in log, f"{label} never scheduled the SLA check"
    assert time.time() - marked < 200
