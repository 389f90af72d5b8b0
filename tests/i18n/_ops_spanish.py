"""Helpers for the Spanish tests: a reader of Spanish, however the site learns it."""

from __future__ import annotations

import contextlib
from typing import Any

from django.test import Client


def reads_spanish(user: Any) -> Any:
    """Make ``user`` a reader of Spanish: their account's language when accounts have one
    (mails are rendered in it), and their browser's."""
    if hasattr(user, "language"):
        user.language = "es"
        user.save(update_fields=["language"])
    return user


def spanish_client(user: Any = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    if user is not None:
        client.force_login(reads_spanish(user))
    return client


def reads_english(user: Any) -> Any:
    if hasattr(user, "language"):
        user.language = "en"
        user.save(update_fields=["language"])
    return user


def english_client(user: Any = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(reads_english(user))
    return client


def pdf_text(data: bytes) -> str:
    """The text drawn by an fpdf2 PDF: its (deflated) content streams, as Latin-1."""
    import re
    import zlib

    chunks = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        raw = match.group(1)
        with contextlib.suppress(zlib.error):
            raw = zlib.decompress(raw)
        chunks.append(raw.decode("latin-1"))
    return "\n".join(chunks)
