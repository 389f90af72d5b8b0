"""Finding @handles in a note. Pure: no ORM.

A colleague's handle is the part of their email address before the @ (``@agent.es`` for
agent.es@vendor.test): unique among staff, and what people already call each other."""

from __future__ import annotations

import re

# "@name" at the start or after a space or punctuation, not inside an email address.
HANDLE = re.compile(r"(?<![\w@.+-])@([A-Za-z0-9](?:[\w.+-]*\w)?)")


def handles_in(text: str) -> set[str]:
    """The lower-cased handles a text names, once each."""
    return {match.lower() for match in HANDLE.findall(text or "")}


def handle_of(email: str) -> str:
    return email.split("@", 1)[0].lower()
