"""Start a web server as a child process on a free loopback port, wait until it answers,
read its workers' memory, stop it. Used for Supportal (uvicorn) and django-helpdesk
(gunicorn)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

START_TIMEOUT_SECONDS = 60


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU time of these processes (all their threads) and of the children
    they have reaped, from /proc: a worker or database backend that exits moves its time
    into its parent's count, so the sum over a process tree only grows."""
    total = 0
    for pid in set(pids):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return total / CLOCK_TICKS


def database_pids() -> list[int]:
    """PostgreSQL's server processes on this machine (the bench's database is the only busy
    one while it runs)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def cpu_probe(web_pids: Callable[[], Sequence[int]]):
    """A function giving the CPU seconds used so far by the web workers, the database and
    this process (the load generator): ``load.measure`` divides the difference over a run
    by its requests. ``web_pids`` gives the server's process tree (master and workers),
    looked up at every reading: gunicorn replaces a worker it timed out."""
    import time as _time

    def probe() -> dict[str, float]:
        return {
            "web": cpu_seconds(web_pids()),
            "database": cpu_seconds(database_pids()),
            "load_generator": _time.process_time(),
        }

    return probe


def settle(database_url: str) -> int:
    """Cancel statements still running in a PostgreSQL database from an earlier
    measurement, and wait until they have stopped. gunicorn kills a worker after 30 s
    (helpdesk's search at 1M tickets) but PostgreSQL runs its query on to the end: left
    alone, it would take the cores from the next measurement. Returns how many were
    cancelled (0 on SQLite)."""
    if not database_url.startswith("postgres"):
        return 0
    import psycopg

    name = urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(database_url, autocommit=True) as db:
        cancelled = db.execute(
            "SELECT count(*) FILTER (WHERE pg_cancel_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND state = 'active' AND pid <> pg_backend_pid()",
            [name],
        ).fetchone()[0]
        for _ in range(100):  # a cancelled statement stops at its next check: wait for it
            busy = db.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND state = 'active' "
                "AND pid <> pg_backend_pid()",
                [name],
            ).fetchone()[0]
            if not busy:
                break
            time.sleep(0.1)
    return cancelled


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path

    def worker_pids(self) -> list[int]:
        """The worker processes: children of the master (uvicorn and gunicorn fork them)."""
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid != self.process.pid:
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"resource_tracker" in cmdline:  # multiprocessing's helper, not a worker
                continue
            children.append(int(entry.name))
        # uvicorn with one worker serves in the process itself.
        return sorted(children) or [self.process.pid]

    def tree_pids(self) -> list[int]:
        """The master and its workers (the master's count holds the workers it reaped)."""
        return sorted({self.process.pid, *self.worker_pids()})

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(
    name: str,
    command: Sequence[str],
    *,
    env: dict[str, str],
    port: int,
    log_dir: Path,
    ready_path: str = "/",
    cwd: Path | None = None,
) -> Server:
    log_path = log_dir / f"{name}.log"
    log = log_path.open("wb")
    process = subprocess.Popen(  # noqa: S603
        list(command), env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT, cwd=cwd
    )
    server = Server(name, process, f"http://127.0.0.1:{port}", log_path)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited at start; see {log_path}:\n{log_path.read_text()}")
        try:
            if httpx.get(server.base_url + ready_path, timeout=2).status_code < 500:
                # Every worker must be up, not only the first to answer.
                time.sleep(1.0)
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"{name} did not answer within {START_TIMEOUT_SECONDS} s; see {log_path}")


@dataclass
class Servers:
    """Several web processes serving the same application (one per port)."""

    servers: list[Server]

    @property
    def base_urls(self) -> list[str]:
        return [s.base_url for s in self.servers]

    def worker_rss_mb(self) -> list[float]:
        return [mb for s in self.servers for mb in s.worker_rss_mb()]

    def tree_pids(self) -> list[int]:
        return [pid for s in self.servers for pid in s.tree_pids()]

    def stop(self) -> None:
        for s in self.servers:
            s.stop()
