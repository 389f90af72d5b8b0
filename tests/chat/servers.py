"""Real uvicorn processes on a temporary SQLite data dir, for tests that need WebSockets
over the network (pytest-django's live server is WSGI only).

The migrated demo database is built once per test session and copied for each use."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

STARTUP_TIMEOUT = 30.0

_template: Path | None = None


def env_for(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.setdefault("DJANGO_SETTINGS_MODULE", "supportal.settings")
    env.update(SUPPORTAL_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1", LOG_LEVEL="WARNING")
    env.update(extra)
    return env


def run_python(code: str, data_dir: Path) -> str:
    """Run ``code`` after ``django.setup()`` against the data dir; return its output."""
    done = subprocess.run(
        [sys.executable, "-c", "import django\ndjango.setup()\n" + code],
        env=env_for(data_dir),
        check=True,
        capture_output=True,
        text=True,
        timeout=180,
    )
    return done.stdout


def demo_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh copy of a migrated database holding the demo personas."""
    global _template
    if _template is None:
        template = tmp_path_factory.mktemp("chat-demo-template")
        subprocess.run(
            [sys.executable, "-m", "supportal.cli", "migrate", "--noinput", "-v", "0"],
            env=env_for(template),
            check=True,
            capture_output=True,
            timeout=180,
        )
        run_python(
            "from supportal.demo.loader import load_demo\nload_demo(with_tickets=False)",
            template,
        )
        _template = template
    copy = tmp_path_factory.mktemp("chat-data")
    shutil.copytree(_template, copy, dirs_exist_ok=True)
    return copy


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_answers(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def uvicorn(data_dir: Path, log: Path, **env: str) -> Iterator[str]:
    """A uvicorn process serving the project; yields its base URL; stops it after."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "supportal.asgi:application",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            env=env_for(data_dir, **env), stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail(f"uvicorn did not start:\n{log.read_text()}")
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
