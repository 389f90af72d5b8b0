"""Helpers for the Spanish tests: a reader of Spanish, however the site learns it."""

from __future__ import annotations

import contextlib
from typing import Any

from django.test import Client


def reads(user: Any, language: str) -> Any:
    """Make ``language`` the account's own: pages and mails are in it."""
    user.language = language
    user.save(update_fields=["language"])
    return user


def reads_spanish(user: Any) -> Any:
    return reads(user, "es")


def _client(user: Any, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(reads(user, language))
    return client


def spanish_client(user: Any = None) -> Client:
    return _client(user, "es")


def english_client(user: Any = None) -> Client:
    return _client(user, "en")


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
