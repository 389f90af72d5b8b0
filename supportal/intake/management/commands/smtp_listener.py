"""``supportal smtp_listener``: receive mail for the support address over SMTP.

Started by ``supportal serve`` when SUPPORTAL_SMTP_PORT is set; stops on SIGINT/SIGTERM."""

import os
import signal
import threading
from typing import Any

from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from supportal.intake.smtp import SupportInbox, size_limit


class Command(BaseCommand):
    help = "Run the SMTP listener for inbound mail to SUPPORTAL_SUPPORT_ADDRESS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=None, help="Listen address (env HOST, 127.0.0.1).")
        parser.add_argument("--port", type=int, default=None, help="(SUPPORTAL_SMTP_PORT)")

    def handle(
        self, *args: Any, host: str | None = None, port: int | None = None, **options: Any
    ) -> None:
        host = host or os.environ.get("HOST") or "127.0.0.1"
        port = port or settings.SUPPORTAL_SMTP_PORT
        if not port:
            raise CommandError("Set SUPPORTAL_SMTP_PORT (or pass --port).")
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, lambda *_: stop.set())
        controller = Controller(
            SupportInbox(), hostname=host, port=port, data_size_limit=size_limit()
        )
        try:
            controller.start()
        except Exception as exc:
            raise CommandError(f"Could not listen on {host}:{port}: {exc}") from exc
        self.stdout.write(
            f"SMTP listener on {host}:{port} for {settings.SUPPORTAL_SUPPORT_ADDRESS}"
        )
        self.stdout.flush()
        try:
            stop.wait()
        finally:
            controller.stop()
