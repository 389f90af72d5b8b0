"""Recorded mails, a real SMTP listener on loopback, and Twilio signing with a test token."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

FIXTURES = Path(__file__).parent / "fixtures"


def eml(name: str, **replace: str) -> bytes:
    """A recorded mail; ``replace`` fills placeholders such as PARENT-ID."""
    raw = (FIXTURES / name).read_bytes()
    for placeholder, value in replace.items():
        raw = raw.replace(placeholder.replace("_", "-").encode(), value.encode())
    return raw


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An SMTP server's mailbox; ``refuse`` makes the next N deliveries fail with 451."""

    def __init__(self):
        self.messages: list[tuple[list[str], bytes]] = []
        self.refuse = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        self.messages.append((envelope.rcpt_tos, envelope.original_content or envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    """Outgoing mail goes to a real SMTP listener on loopback."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 5
    yield inbox
    controller.stop()
