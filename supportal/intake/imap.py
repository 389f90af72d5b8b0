"""The IMAP poller: new mail in a mailbox goes into the one pipeline, then is marked seen.

Mail is marked \\Seen only after it is stored, and storing is idempotent on Message-ID, so
a poll that dies half-way loses nothing and duplicates nothing on the next run."""

from __future__ import annotations

import contextlib
import imaplib
import logging
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from .models import InboundEmail
from .services import receive_email

log = logging.getLogger(__name__)
# Per poll: a large backlog is worked through over several polls.
BATCH_SIZE = 50


class ImapClient(Protocol):
    def uid(self, command: str, *args: str | None) -> tuple[str, list[Any]]: ...


def connect(url: str) -> tuple[imaplib.IMAP4, str]:
    """Log in to ``imap[s]://user:password@host[:port]/FOLDER``; returns (client, folder)."""
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname:
        raise ValueError("SUPPORTAL_IMAP_URL must look like imaps://user:password@host/INBOX")
    if parts.scheme == "imaps":
        client: imaplib.IMAP4 = imaplib.IMAP4_SSL(parts.hostname, parts.port or 993, timeout=30)
    else:
        client = imaplib.IMAP4(parts.hostname, parts.port or 143, timeout=30)
        client.starttls()
    client.login(unquote(parts.username or ""), unquote(parts.password or ""))
    return client, unquote(parts.path.lstrip("/")) or "INBOX"


def fetch_new_mail(client: ImapClient) -> int:
    """Store every unseen message of the selected folder; returns how many were new."""
    status, data = client.uid("SEARCH", None, "UNSEEN")
    if status != "OK":
        raise imaplib.IMAP4.error(f"SEARCH failed: {data!r}")
    uids = (data[0] or b"").split()[:BATCH_SIZE]
    stored = 0
    for uid in uids:
        status, parts = client.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
        raw = next((p[1] for p in parts if isinstance(p, tuple) and len(p) == 2), None)
        if status != "OK" or not isinstance(raw, bytes):
            log.warning("IMAP message %s could not be fetched: %r", uid, status)
            continue
        if receive_email(raw=raw, source=InboundEmail.Source.IMAP) is not None:
            stored += 1
        client.uid("STORE", uid.decode(), "+FLAGS", "(\\Seen)")
    return stored


def poll_mailbox(*, url: str) -> int:
    client, folder = connect(url)
    try:
        status, data = client.select(folder)
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot open folder {folder!r}: {data!r}")
        # arg-type: typeshed's IMAP4.uid takes str only; imaplib takes SEARCH's None charset.
        return fetch_new_mail(client)  # type: ignore[arg-type]
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            client.logout()
