"""After the database drops connections (restart, failover), drop the dead ones at once.

The pool (``SUPPORTAL_DB_POOL_SIZE``) checks each connection it hands out
(``CONN_HEALTH_CHECKS``), but it meets dead idle connections one at a time and waits
longer after each (psycopg_pool's back-off), so with several of them the next request
could time out. When a request fails on a database error, every idle connection of the
pool is checked at once and the dead ones are replaced; /healthz does the same before
answering."""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.db import DatabaseError, connections
from django.http import HttpRequest

log = logging.getLogger(__name__)


def discard_dead_connections() -> None:
    for connection in connections.all(initialized_only=True):
        pool = getattr(connection, "pool", None)
        if pool is None:
            continue
        try:
            pool.check()
        except Exception:  # the database is still away: the next request tries again
            log.warning("database %s unreachable while checking its pool", connection.alias)


def after_request_exception(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    exc = sys.exc_info()[1]
    if isinstance(exc, DatabaseError):
        discard_dead_connections()
