"""Database work from the chat consumers, off the event loop.

Two places it runs:

``in_db_thread``: Django's one database thread per process, like
``channels.db.database_sync_to_async`` except that a healthy SQLite connection is kept
between calls. The settings give SQLite ``CONN_MAX_AGE = 0``, so channels' helper would
close it after every message, and closing the last connection to a WAL database
checkpoints it: that was most of the cost of a chat message. A connection that errored or
sits in a transaction is still closed, and other databases keep Django's own rules.

``in_chat_db_threads``: a bounded pool of ``SUPPORTAL_CHAT_DB_THREADS`` threads for the
chat's hot path (messages, history, joining). Each thread keeps its own connection while it
is healthy (on PostgreSQL, taken from the process's pool once instead of a checkout and a
health check per message), so messages of different chats commit side by side instead of
queueing behind one another in the one database thread. A connection that errored or was
left in a transaction is closed (returned to the pool, which checks it before handing it
out again). With the setting at 0 this is ``in_db_thread``.

Connections live in these threads, so tests that drive sockets need committed data
(``transactional_db``); ``close_chat_db_connections`` hands the threads' connections back,
for test teardown (a flush or a dropped test database must not wait on them)."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

from asgiref.sync import SyncToAsync
from django.conf import settings
from django.db import connections

T = TypeVar("T")
P = ParamSpec("P")


def _refresh_connections() -> None:
    for conn in connections.all(initialized_only=True):
        if conn.vendor == "sqlite" and not conn.settings_dict.get("CONN_MAX_AGE"):
            if conn.connection is not None and (conn.errors_occurred or not conn.get_autocommit()):
                conn.close()
        else:
            conn.close_if_unusable_or_obsolete()


class _DatabaseThread(SyncToAsync[P, T]):
    def thread_handler(self, loop: asyncio.AbstractEventLoop, *args: Any, **kwargs: Any) -> Any:
        _refresh_connections()
        # no-untyped-call: asgiref leaves this internal hook unannotated.
        return super().thread_handler(loop, *args, **kwargs)  # type: ignore[no-untyped-call]


def in_db_thread(func: Callable[P, T]) -> SyncToAsync[P, T]:
    """Decorate a sync function so that async code can ``await`` it (in the one thread
    Django's ORM calls from async code share)."""
    return _DatabaseThread(func, thread_sensitive=True)


_executor: ThreadPoolExecutor | None = None
_executor_size = 0
_executor_lock = threading.Lock()


def _chat_executor() -> ThreadPoolExecutor | None:
    global _executor, _executor_size
    size = settings.SUPPORTAL_CHAT_DB_THREADS
    if size <= 0:
        return None
    if _executor is None or _executor_size != size:
        with _executor_lock:
            if _executor is None or _executor_size != size:
                if _executor is not None:
                    _retire(_executor, _executor_size)
                _executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix="chat-db")
                _executor_size = size
    return _executor


def _settle_connections() -> None:
    """Keep this thread's healthy connections; close the others."""
    for conn in connections.all(initialized_only=True):
        if conn.connection is None:
            continue
        if conn.errors_occurred or conn.in_atomic_block or not conn.get_autocommit():
            conn.close()


def _close_own_connections() -> None:
    for conn in connections.all(initialized_only=True):
        conn.close()


def _run_in_chat_thread(func: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
    try:
        return func(*args, **kwargs)
    finally:
        _settle_connections()


def in_chat_db_threads(func: Callable[P, T]) -> Callable[P, Coroutine[Any, Any, T]]:
    """Decorate a sync function so that async code can ``await`` it in the chat's pool of
    database threads (or Django's database thread when the pool is off)."""
    fallback = in_db_thread(func)

    @functools.wraps(func)
    async def run(*args: P.args, **kwargs: P.kwargs) -> T:
        executor = _chat_executor()
        if executor is None:
            return await fallback(*args, **kwargs)
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(
            executor, context.run, _run_in_chat_thread, func, args, kwargs
        )

    return run


def close_chat_db_connections() -> None:
    """Close the connections the chat's database threads hold (from synchronous code)."""
    global _executor
    with _executor_lock:
        executor, size, _executor = _executor, _executor_size, None
    if executor is not None:
        _retire(executor, size)


def _retire(executor: ThreadPoolExecutor, size: int) -> None:
    # One task per thread, each holding its thread until all have run: every thread closes
    # its own connections.
    barrier = threading.Barrier(size, timeout=10)

    def close_then_wait() -> None:
        _close_own_connections()
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()

    for future in [executor.submit(close_then_wait) for _ in range(size)]:
        future.result(timeout=20)
    executor.shutdown(wait=True)
