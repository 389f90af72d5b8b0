"""The built-in SMTP listener (aiosmtpd) for self-hosters: mail to the support address
goes into the one pipeline. It accepts mail for that address only: it is no relay."""

from __future__ import annotations

import logging

from aiosmtpd.smtp import SMTP, Envelope, Session
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection

from .models import InboundEmail
from .services import receive_email

log = logging.getLogger(__name__)


def accepts(address: str) -> bool:
    """The support address, with or without a +tag (support+acme@…)."""
    local, _, domain = address.lower().rpartition("@")
    own_local, _, own_domain = settings.SUPPORTAL_SUPPORT_ADDRESS.lower().rpartition("@")
    return domain == own_domain and local.split("+")[0] == own_local


def size_limit() -> int:
    """Mail a little over the pipeline's limit still arrives (and is quarantined for staff
    to see); far larger mail is refused during the SMTP dialogue."""
    return settings.SUPPORTAL_EMAIL_MAX_BYTES * 2


def delivered_to(raw: bytes, recipients: list[str]) -> bytes:
    """The envelope recipients on top of the mail, as a delivering MTA writes them: a
    reply address given in Bcc, or rewritten by a forwarder, is still seen."""
    lines = b"".join(
        f"Delivered-To: {address}\r\n".encode("ascii", "replace")
        for address in recipients
        if "\r" not in address and "\n" not in address
    )
    return lines + raw


def store(raw: bytes) -> None:
    """Run in a worker thread: its database connection is closed after each mail."""
    try:
        receive_email(raw=raw, source=InboundEmail.Source.SMTP)
    finally:
        connection.close()


class SupportInbox:
    """aiosmtpd handler."""

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if not accepts(address):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        raw = delivered_to(raw, envelope.rcpt_tos)
        try:
            await sync_to_async(store, thread_sensitive=False)(raw)
        except Exception:
            log.exception("could not store mail from %s", envelope.mail_from)
            return "451 4.3.0 Could not store the message; try again later"
        return "250 2.0.0 Message accepted"
