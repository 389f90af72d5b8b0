"""Named locks that hold across threads, processes and (on PostgreSQL) machines.

PostgreSQL: a transaction-scoped advisory lock, released when the block's transaction ends.
SQLite (one machine by nature): an exclusive ``flock`` on one of a fixed set of stripe files
under DATA_DIR, so an attacker who tries a million names creates no more than the stripes.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

STRIPES = 64


def _digest(name: str) -> bytes:
    return hashlib.blake2b(name.encode(), digest_size=8).digest()


@contextmanager
def named_lock(name: str, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Hold an exclusive lock called ``name`` for the block (blocking until it is free).

    On PostgreSQL the block also runs in a transaction (the lock's lifetime)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        key = int.from_bytes(_digest(name), "big", signed=True)
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
            yield
        return
    stripe = int.from_bytes(_digest(name), "big") % STRIPES
    directory = Path(settings.DATA_DIR) / "locks"
    directory.mkdir(parents=True, exist_ok=True)
    fd = os.open(directory / f"stripe-{stripe:02d}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
