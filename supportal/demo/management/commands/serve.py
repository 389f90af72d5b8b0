"""``supportal serve``: the web server (HTTP and WebSocket) and one job consumer together.

Both run as child processes of this command, which only supervises them: a signal to the
command (Ctrl-C, SIGTERM) stops both; one child dying stops the other. At scale, run
uvicorn and ``supportal run_huey`` directly and separately instead (docs/deploy.md).

It lives in the demo app, the top of the imports, because it serves every app and prints
the demo logins when they exist.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from supportal.accounts.models import User
from supportal.demo.loader import DEMO_LOGINS, DEMO_PASSWORD

# How long a child gets to shut down gracefully before it is killed.
STOP_TIMEOUT_SECONDS = 10.0
POLL_SECONDS = 0.2


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]


def display_url(host: str, port: int) -> str:
    """The address to open in a browser for a server listening on ``host``."""
    if host in {"0.0.0.0", "::", ""}:  # noqa: S104 - we only format the wildcard for display
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def demo_logins_present() -> bool:
    """Whether any demo login exists (so printing the demo password is useful)."""
    try:
        return User.objects.filter(email__in=[email for email, _ in DEMO_LOGINS]).exists()
    except DatabaseError:  # not migrated yet: nothing to announce
        return False


def database_warnings() -> list[str]:
    """The start-up checks that read the database (e.g. no on-call rotation), as lines."""
    found = checks.run_checks(tags=[checks.Tags.database], databases=["default"])
    serious = [m for m in found if m.is_serious(checks.WARNING)]
    return [f"{m.id}: {m.msg} {m.hint or ''}".strip() for m in serious]


class Command(BaseCommand):
    help = "Start the web server (HTTP and WebSocket, uvicorn) and one Huey job consumer."

    # The children open their own connections; this process does not need a check run.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=None, help="Listen address (env HOST, 127.0.0.1).")
        parser.add_argument("--port", type=int, default=None, help="Listen port (env PORT, 8000).")

    def handle(
        self, *args: Any, host: str | None = None, port: int | None = None, **options: Any
    ) -> None:
        host = host or os.environ.get("HOST") or "127.0.0.1"
        port = port or _env_port()
        url = display_url(host, port)

        self._stop_signal: int | None = None
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGHUP, self._on_signal)  # the terminal went away

        # WhiteNoise serves through the finders but warns when STATIC_ROOT is missing.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        children: list[Child] = []
        try:
            children.append(self._start("web", _web_command(host, port)))
            # The consumer logs each per-minute job at INFO; keep its warnings and errors
            # only, unless LOG_LEVEL=DEBUG asks for everything.
            job_flags = [] if os.environ.get("LOG_LEVEL", "").upper() == "DEBUG" else ["--quiet"]
            children.append(
                self._start("jobs", [sys.executable, "-m", "supportal.cli", "run_huey", *job_flags])
            )
            smtp_port = os.environ.get("SUPPORTAL_SMTP_PORT")
            if smtp_port:  # the inbound mail listener (supportal.intake), on the same host
                smtp = ["smtp_listener", "--host", host, "--port", smtp_port]
                children.append(self._start("smtp", [sys.executable, "-m", "supportal.cli", *smtp]))
            self._announce(url)
            failed = self._supervise(children)
        finally:
            self._stop_all(children)
        if failed is not None:
            code = failed.process.returncode
            raise CommandError(
                f"The {failed.name} process exited (code {code}); stopped the others.",
                returncode=code if code and code > 0 else 1,
            )
        self.stdout.write("Supportal stopped.")

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self._stop_signal = signum

    def _start(self, name: str, command: list[str]) -> Child:
        # A new session: Ctrl-C at the terminal reaches only this supervisor, which then
        # forwards one signal to each child (a second SIGINT would make them hurry).
        process = subprocess.Popen(  # noqa: S603
            command, start_new_session=True, preexec_fn=_die_with_parent
        )
        return Child(name=name, process=process)

    def _announce(self, url: str) -> None:
        self.stdout.write(self.style.SUCCESS(f"Supportal is running at {url}/"))
        for warning in database_warnings():
            self.stdout.write(self.style.WARNING(warning))
        if demo_logins_present():
            self.stdout.write(f"Demo logins (password '{DEMO_PASSWORD}'):")
            for email, what in DEMO_LOGINS:
                self.stdout.write(f"  {email:<24} {what}")
        if os.environ.get("SUPPORTAL_SMTP_PORT"):
            self.stdout.write(
                f"SMTP listener for inbound mail on port {os.environ['SUPPORTAL_SMTP_PORT']}."
            )
        self.stdout.write("Press Ctrl-C to stop.")
        self.stdout.flush()

    def _supervise(self, children: list[Child]) -> Child | None:
        """Wait for a stop signal (returns None) or for a child to exit (returns it)."""
        while self._stop_signal is None:
            for child in children:
                if child.process.poll() is not None:
                    return child
            time.sleep(POLL_SECONDS)
        return None

    def _stop_all(self, children: list[Child]) -> None:
        forwarded = (
            signal.SIGTERM
            if self._stop_signal is None or self._stop_signal == signal.SIGHUP
            else self._stop_signal
        )
        for child in children:
            if child.process.poll() is None:
                # Huey treats SIGINT as "finish running tasks", SIGTERM as "abandon them";
                # uvicorn shuts down gracefully on either.
                signum = signal.SIGINT if child.name == "jobs" else forwarded
                child.process.send_signal(signum)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for child in children:
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"The {child.name} process did not stop in time; killing it.")
                child.process.kill()
                child.process.wait()


def _die_with_parent() -> None:
    """In the child, before exec: on Linux, get SIGTERM if the supervisor is killed outright
    (SIGKILL leaves it no chance to stop its children, which would keep the port)."""
    if sys.platform != "linux":
        return
    pr_set_pdeathsig = 1
    ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _env_port() -> int:
    raw = os.environ.get("PORT") or "8000"
    try:
        return int(raw)
    except ValueError as exc:
        raise CommandError(f"PORT must be an integer, got {raw!r}") from exc


def proxy_arguments(trusted_proxies: list[str]) -> list[str]:
    """uvicorn's options for X-Forwarded-For/-Proto: read only from the named proxies.

    uvicorn's own default trusts them from 127.0.0.1 (or ``FORWARDED_ALLOW_IPS``), so any
    local process, or anything relayed through loopback, could choose its client address
    and scheme; with no proxy named the headers are not read at all."""
    if not trusted_proxies:
        return ["--no-proxy-headers"]
    return ["--proxy-headers", "--forwarded-allow-ips", ",".join(trusted_proxies)]


def _web_command(host: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "supportal.asgi:application",
        "--host",
        host,
        "--port",
        str(port),
        # Django's ASGI handler does not speak the lifespan protocol.
        "--lifespan",
        "off",
        *proxy_arguments(settings.SUPPORTAL_TRUSTED_PROXIES),
    ]
