"""`supportal serve` as a real process: uvicorn and a Huey consumer under one supervisor."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux /proc")

STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


def _supportal() -> list[str]:
    script = Path(sys.executable).with_name("supportal")
    return [str(script)] if script.exists() else [sys.executable, "-m", "supportal.cli"]


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.pop("SUPPORTAL_SMTP_PORT", None)
    env.update(SUPPORTAL_DATA_DIR=str(data_dir), HOST="127.0.0.1", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _children(pid: int) -> dict[int, str]:
    """Live child processes of ``pid``: {pid: command line}."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        state, ppid = fields[0], int(fields[1])
        if ppid == pid and state != "Z":
            found[int(entry.name)] = cmdline
    return found


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    seen: set[int] = field(default_factory=set)  # child pids, to clean up after a failure

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        url = f"http://127.0.0.1:{self.port}/healthz"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"serve exited early ({self.process.returncode}):\n{self.output()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        pytest.fail(f"/healthz did not answer 200 within {STARTUP_TIMEOUT}s:\n{self.output()}")

    def child(self, marker: str) -> int:
        matches = [pid for pid, cmd in _children(self.process.pid).items() if marker in cmd]
        assert len(matches) == 1, (marker, _children(self.process.pid))
        self.seen.add(matches[0])
        return matches[0]


def _migrated_dir(tmp_path_factory: pytest.TempPathFactory, name: str, demo: bool) -> Path:
    data_dir = tmp_path_factory.mktemp(name)
    commands = [["migrate", "--noinput", "-v", "0"]] + ([["demo"]] if demo else [])
    for command in commands:
        subprocess.run(
            [*_supportal(), *command],
            env=_env(data_dir),
            check=True,
            capture_output=True,
            timeout=180,
        )
    return data_dir


@pytest.fixture(scope="module")
def empty_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with a migrated SQLite database and no users."""
    return _migrated_dir(tmp_path_factory, "serve-empty", demo=False)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with a migrated SQLite database holding the demo data."""
    return _migrated_dir(tmp_path_factory, "serve-demo", demo=True)


def _serve(data_dir: Path, tmp_path: Path, **env: str) -> Iterator[Server]:
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*_supportal(), "serve"],
            env=_env(data_dir, PORT=str(port), **env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(process=process, port=port, log=log)
    try:
        yield server
    finally:
        # After a failed test, leave nothing running.
        if process.poll() is None:
            server.seen.update(_children(process.pid))
            process.kill()
            process.wait()
        for pid in server.seen:
            if not _gone(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


@pytest.fixture
def server(empty_dir: Path, tmp_path: Path) -> Iterator[Server]:
    yield from _serve(empty_dir, tmp_path)


@pytest.fixture
def demo_server(demo_dir: Path, tmp_path: Path) -> Iterator[Server]:
    yield from _serve(demo_dir, tmp_path, SUPPORTAL_SMTP_PORT="2525")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_serve_answers_and_a_signal_stops_web_server_and_consumer(server: Server, signum: int):
    server.wait_healthy()
    web = server.child("uvicorn")
    jobs = server.child("run_huey")
    assert not _gone(jobs)

    server.process.send_signal(signum)

    assert server.process.wait(timeout=STOP_TIMEOUT) == 0, server.output()
    assert _gone(web) and _gone(jobs)
    assert _port_is_free(server.port)
    output = server.output()
    assert f"http://127.0.0.1:{server.port}/" in output
    assert "manager@vendor.test" not in output  # no demo users in this database


def test_serve_prints_the_demo_logins_when_demo_users_exist(demo_server: Server):
    demo_server.wait_healthy()
    demo_server.process.send_signal(signal.SIGINT)
    assert demo_server.process.wait(timeout=STOP_TIMEOUT) == 0

    output = demo_server.output()
    assert f"http://127.0.0.1:{demo_server.port}/" in output
    assert "supportal-demo" in output
    assert "bob@acmeprint.test" in output
    assert "SMTP listener" in output


def test_serve_stops_the_consumer_and_fails_when_the_web_server_dies(server: Server):
    server.wait_healthy()
    web = server.child("uvicorn")
    jobs = server.child("run_huey")

    os.kill(web, signal.SIGKILL)

    assert server.process.wait(timeout=STOP_TIMEOUT) != 0
    assert _gone(jobs)
    assert "web process exited" in server.output()


def test_killing_serve_outright_takes_its_children_down(server: Server):
    """SIGKILL leaves serve no chance to stop its children: they must notice by themselves."""
    server.wait_healthy()
    web = server.child("uvicorn")
    jobs = server.child("run_huey")

    server.process.kill()
    server.process.wait(timeout=STOP_TIMEOUT)

    deadline = time.monotonic() + STOP_TIMEOUT
    while not (_gone(web) and _gone(jobs)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _gone(web) and _gone(jobs)
    assert _port_is_free(server.port)
