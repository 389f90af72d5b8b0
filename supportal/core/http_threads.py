"""Page and API requests served by Django's WSGI handler in a fixed pool of threads, inside
the same ASGI server that carries the chat's WebSockets (supportal/asgi.py).

Django's ASGI handler starts a new thread for every request and hops between the event
loop and that thread around each piece of synchronous middleware; every view here is
synchronous, so all of that is overhead: about 2 ms a request through uvicorn (an empty
``/healthz`` 3.6 ms, 1.6 ms this way). Here a request runs start to finish in one of
``SUPPORTAL_HTTP_THREADS`` long-lived threads (a2wsgi translates ASGI to WSGI), and
requests beyond that many wait their turn instead of piling up threads and database
connections. ``SUPPORTAL_HTTP_THREADS=0`` serves through Django's ASGI handler instead.

Code in a request thread that must reach the event loop (the chat's channel-layer
broadcasts) uses :func:`run_on_server_loop`: such a thread has no loop of its own, and the
in-memory channel layer's queues belong to the server's loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import tempfile
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from django.conf import settings

# Bytes of a stored request body handed to the request thread at a time.
REPLAY_CHUNK_BYTES = 256 * 1024

_server_loop: asyncio.AbstractEventLoop | None = None


class ThreadedDjango:
    """ASGI application for the ``http`` scope: Django's WSGI handler in ``threads``
    threads."""

    def __init__(self, threads: int) -> None:
        from a2wsgi import WSGIMiddleware
        from django.core.wsgi import get_wsgi_application

        # arg-type: WSGIHandler is a WSGI app; the stubs type its __call__ more narrowly.
        self._app: Callable[[Any, Any, Any], Awaitable[None]] = WSGIMiddleware(
            get_wsgi_application(),  # type: ignore[arg-type]
            workers=threads,
        )

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        global _server_loop
        _server_loop = asyncio.get_running_loop()
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        # The whole body is read before a thread takes the request, as Django's ASGI
        # handler does: a thread never waits on a slow client, and the size limit in front
        # (core.uploads.RequestBodyLimit) sees every byte even of a request whose view
        # would not read its body. A client gone before the end gets no answer.
        body = await _read_body(receive)
        if body is None:
            return
        try:
            await self._app(scope, _replay(body, receive), send)
        finally:
            body.close()


async def _read_body(receive: Any) -> tempfile.SpooledTemporaryFile[bytes] | None:
    body = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed by the caller
        max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE, mode="w+b"
    )
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            body.close()
            return None
        if message.get("body"):
            body.write(message["body"])
        if not message.get("more_body", False):
            body.seek(0)
            return body


def _replay(
    body: tempfile.SpooledTemporaryFile[bytes], receive: Any
) -> Callable[[], Awaitable[dict[str, Any]]]:
    """A ``receive`` that hands the stored body out again, then waits for the disconnect."""
    size = body.seek(0, 2)
    body.seek(0)
    ended = False

    async def replayed() -> dict[str, Any]:
        nonlocal ended
        if ended:
            message: dict[str, Any] = await receive()
            return message
        chunk = body.read(REPLAY_CHUNK_BYTES)
        ended = body.tell() >= size
        return {"type": "http.request", "body": chunk, "more_body": not ended}

    return replayed


def server_loop_for_this_thread() -> asyncio.AbstractEventLoop | None:
    """The server's event loop when called from a request thread (a thread with no loop
    running); None elsewhere (in the loop itself, in tests, in jobs and commands)."""
    loop = _server_loop
    if loop is None or loop.is_closed() or not loop.is_running():
        return None
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return loop
    return None


def run_on_server_loop(
    function: Callable[..., Coroutine[Any, Any, Any]], *args: Any, timeout: float = 10
) -> tuple[bool, Any]:
    """Run ``await function(*args)`` on the server's loop and wait for it, from a request
    thread: (True, its result). (False, None) when there is no such loop, so the caller
    can fall back (asgiref's ``async_to_sync``)."""
    loop = server_loop_for_this_thread()
    if loop is None:
        return False, None
    future: concurrent.futures.Future[Any] = asyncio.run_coroutine_threadsafe(function(*args), loop)
    return True, future.result(timeout)
