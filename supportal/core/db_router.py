"""Send report reads to a read replica when one is configured (``DATABASE_REPLICA_URL``).

Only reads that ask for it go to the replica: a replica lags the primary by a moment, so
the pages that show what someone has just written (a ticket after filing it, the queue
after a reply) always read the primary. Reports, dashboards and CSV exports wrap their
reads in :func:`replica_reads` (or decorate the view with it) and accept that lag. Writes,
migrations and everything else use ``default``. Without a replica the router is not
installed and :func:`replica_reads` does nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

REPLICA = "replica"

_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Inside this block (or a view decorated with it), ORM reads use the replica."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads inside :func:`replica_reads` go to the replica; everything else to ``default``."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _reading_from_replica.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model: type, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # The replica is a copy of the primary: rows from either may be related.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        # The replica follows the primary's schema by replication, never by migrations.
        return db != REPLICA
