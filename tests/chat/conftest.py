"""Chat fixtures: support hours open, agents online, sockets through the real ASGI stack."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from supportal.accounts.models import Product, User
from supportal.asgi import application
from supportal.chat import services
from supportal.chat.dbthread import close_chat_db_connections
from supportal.chat.models import Chat
from supportal.demo.loader import Demo, load_demo
from tests.sessions import session_cookie  # noqa: F401 - the chat tests import it from here

CHICAGO = ZoneInfo("America/Chicago")
# A Wednesday, 10:00 in Chicago: Acme's support region (USA) is open.
OPEN_HOURS = datetime(2026, 3, 11, 10, 0, tzinfo=CHICAGO)
# A Saturday: closed.
CLOSED_HOURS = datetime(2026, 3, 14, 10, 0, tzinfo=CHICAGO)
TIMEOUT = 3


@pytest.fixture
def open_now() -> Iterator[None]:
    with time_machine.travel(OPEN_HOURS, tick=True):
        yield


@pytest.fixture
def live_demo(transactional_db, django_db_serialized_rollback, open_now) -> Iterator[Demo]:
    """Committed demo data, for sockets whose database work runs outside the test's
    transaction. Serialized rollback restores the seeded reference rows afterwards."""
    layer = get_channel_layer()
    yield load_demo(with_tickets=False)
    # The sockets' database threads hand their connections back before the flush.
    close_chat_db_connections()
    if hasattr(layer, "flush"):
        from asgiref.sync import async_to_sync

        async_to_sync(layer.flush)()


def put_online(agent: User, name: str = "") -> str:
    """The agent's switch on and a fresh console connection row, as the console makes."""
    channel = name or f"test-console-{agent.pk}"
    services.set_availability(agent=agent, available=True)
    services.console_connected(agent=agent, channel_name=channel)
    return channel


def pressero() -> Product:
    return Product.objects.get(slug="pressero")


def start(customer: User, question: str = "How do I add a shipping method?") -> Chat:
    return services.start_chat(customer=customer, product=pressero(), question=question)


def socket(
    path: str, cookie: bytes | None = None, origin: bytes = b"http://testserver"
) -> WebsocketCommunicator:
    """A socket through the whole ASGI stack: origin check, session auth, routing."""
    headers = [(b"origin", origin), (b"host", b"testserver")]
    if cookie is not None:
        headers.append((b"cookie", cookie))
    return WebsocketCommunicator(application, path, headers=headers)


async def receive_until(comm: WebsocketCommunicator, kind: str, **match) -> dict:
    """The next event of ``kind`` (and matching fields), skipping others."""
    while True:
        event = await comm.receive_json_from(timeout=TIMEOUT)
        if event["type"] == kind and all(event.get(k) == v for k, v in match.items()):
            return event


async def drain(comm: WebsocketCommunicator) -> list[dict]:
    """Every event already sent, without waiting for more."""
    events = []
    while not await comm.receive_nothing(timeout=0.05):
        events.append(await comm.receive_json_from(timeout=TIMEOUT))
    return events
