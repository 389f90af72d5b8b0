"""Plans made for the values a statement runs with.

PostgreSQL keeps each connection's frequent statements prepared
(SUPPORTAL_DB_PREPARED_STATEMENTS), and after five runs of one it may switch to a generic
plan, made without looking at the values. For the queue and the ticket page, whose
statements always reach alike, that saves planning them again. A search or a saved view
runs the same statement with values of very different reach (one product's open tickets
in one region, or every ticket), and there the generic plan can be many times slower: at
a million tickets, the count of "product:pressero region:usa is:open" went from 45 ms to
600 ms at its sixth run on a connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar

from django.db import DatabaseError, connection

_inside: ContextVar[bool] = ContextVar("planned_for_values", default=False)


@contextmanager
def planned_for_values(*, needed: bool = True) -> Iterator[None]:
    """Within this block, PostgreSQL plans every statement for the values it is given
    (the statements stay prepared: parsed once); after it, as before. A block inside
    another adds nothing: a view wraps all its searches in one, and each search service
    wraps its own statements, so none can forget. Not ``needed`` (statements whose values
    reach alike, such as the queue's), or on SQLite, it does nothing: planning each time
    costs the queue's search page a quarter of its time."""
    if not needed or connection.vendor != "postgresql" or _inside.get():
        yield
        return
    _set("SET plan_cache_mode = force_custom_plan")
    token = _inside.set(True)
    try:
        yield
    except BaseException:
        _inside.reset(token)
        # The block's own error is the one to report. A connection it broke cannot RESET,
        # nor can a transaction it aborted (whose rollback undoes a SET made inside it).
        with suppress(DatabaseError):
            _set("RESET plan_cache_mode")
        raise
    _inside.reset(token)
    _set("RESET plan_cache_mode")


def _set(statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement)
