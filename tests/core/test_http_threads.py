"""Pages served by Django's WSGI handler in a pool of threads inside the ASGI server
(core/http_threads.py): requests answer, the pool fits the database pool, and the chat's
broadcasts from a request thread reach sockets on the server's event loop."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import pytest
from channels.layers import get_channel_layer
from django.core.management import call_command

from supportal.chat import broadcast
from supportal.core.checks import http_threads_against_pool
from supportal.core.http_threads import ThreadedDjango, server_loop_for_this_thread


@pytest.fixture
def server_loop() -> Iterator[asyncio.AbstractEventLoop]:
    """An event loop in a thread of its own, as uvicorn's."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


async def _get(app, path: str) -> tuple[int, bytes]:
    """One HTTP request through the ASGI application."""
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80),
    }  # fmt: skip
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body


@pytest.mark.django_db
def test_a_request_is_answered_by_a_pool_thread(server_loop):
    app = ThreadedDjango(2)
    status, body = asyncio.run_coroutine_threadsafe(_get(app, "/healthz"), server_loop).result(30)
    assert (status, body) == (200, b'{"status": "ok"}')


@pytest.mark.django_db
def test_a_broadcast_from_a_request_thread_reaches_the_server_loop(server_loop):
    """The in-memory channel layer's queues belong to the server's loop: a request thread
    (no loop of its own) must hand its broadcast to that loop."""
    app = ThreadedDjango(2)
    asyncio.run_coroutine_threadsafe(_get(app, "/healthz"), server_loop).result(30)
    assert server_loop_for_this_thread() is server_loop  # this thread runs no loop
    layer = get_channel_layer()

    async def subscribe() -> str:
        name = await layer.new_channel()
        await layer.group_add(broadcast.CONSOLE_GROUP, name)
        return name

    channel = asyncio.run_coroutine_threadsafe(subscribe(), server_loop).result(5)
    # The socket is already waiting when the broadcast comes, as a console would be. Put in
    # from a foreign thread, the message would sit unseen until the loop woke for some other
    # reason (here its 60 s timeout); handed to the loop, it arrives at once.
    waiting = asyncio.run_coroutine_threadsafe(
        asyncio.wait_for(layer.receive(channel), 60), server_loop
    )
    time.sleep(0.2)
    broadcast.publish_queue_changed()
    received = waiting.result(5)
    assert received["payload"] == {"type": "queue_changed"}


def test_no_server_loop_outside_a_request_thread():
    async def inside() -> object:
        return server_loop_for_this_thread()

    assert asyncio.run(inside()) is None  # in a loop: asgiref's way applies


def test_page_and_chat_threads_beyond_the_pool_are_an_error():
    errors = http_threads_against_pool(8, 4, 10)
    assert [e.id for e in errors] == ["supportal.core.E001"]
    assert "SUPPORTAL_HTTP_THREADS (8)" in errors[0].msg
    assert http_threads_against_pool(6, 4, 10) == []
    assert http_threads_against_pool(50, 4, 0) == []  # no pool: no limit


def test_the_default_settings_pass_the_check():
    call_command("check", "--fail-level", "ERROR")
