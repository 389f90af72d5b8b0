"""What the chat sends over the channel layer, and to which groups.

Groups: ``chat.<id>`` (both sides of one chat), ``chat-agent.<id>`` (one agent's consoles),
``chat-console`` (every console: the waiting list changed). Services call these only from
``transaction.on_commit``: a message is in the database before anyone is told of it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.utils import timezone

from supportal.core.http_threads import run_on_server_loop

from .models import Chat, ChatMessage

CONSOLE_GROUP = "chat-console"


def agent_group(agent_id: int) -> str:
    return f"chat-agent.{agent_id}"


def chat_group(chat_id: int) -> str:
    return f"chat.{chat_id}"


def message_payload(message: ChatMessage) -> dict[str, Any]:
    """The wire form of a message. Bodies are plain text: clients insert them as text."""
    author = message.author
    if message.kind == ChatMessage.Kind.SYSTEM or author is None:
        role, name = "system", ""
    else:
        role = "agent" if author.is_support_staff else "customer"
        name = author.get_short_name()
    file = None
    if message.file_id is not None and message.file is not None:
        file = {
            "name": message.file.original_name,
            "url": message.file.get_absolute_url(),
            "size": message.file.size,
            "content_type": message.file.content_type,
        }
    return {
        "type": "message",
        "seq": message.seq,
        "role": role,
        "author": name,
        "kind": message.kind,
        "body": message.body,
        "file": file,
        "at": message.created_at.isoformat(),
    }


def state_payload(chat: Chat) -> dict[str, Any]:
    limit_at = chat.limit_at()
    warning_at = chat.warning_at()
    return {
        "type": "state",
        "status": chat.status,
        "agent": chat.agent.get_short_name() if chat.agent_id and chat.agent else None,
        "agent_id": chat.agent_id,
        "accepted_at": chat.accepted_at.isoformat() if chat.accepted_at else None,
        "started_at": chat.started_at.isoformat() if chat.started_at else None,
        "limit_at": limit_at.isoformat() if limit_at else None,
        "warning_at": warning_at.isoformat() if warning_at else None,
        # The countdown runs on the server's clock: the page corrects its own by this.
        "server_now": timezone.now().isoformat(),
        "ticket_number": chat.ticket.number if chat.ticket_id and chat.ticket else None,
        "ticket_url": chat.ticket.get_absolute_url() if chat.ticket_id and chat.ticket else None,
    }


_outbox: ContextVar[list[tuple[str, dict[str, Any]]] | None] = ContextVar(
    "chat_outbox", default=None
)


@contextmanager
def collecting() -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """Collect the events committed work would send, for an async caller to send itself.

    A consumer runs services in the database thread; sending from there would block that
    thread on the event loop for every message. Inside this block ``_send`` only records."""
    events: list[tuple[str, dict[str, Any]]] = []
    token = _outbox.set(events)
    try:
        yield events
    finally:
        _outbox.reset(token)


async def send_collected(events: list[tuple[str, dict[str, Any]]]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        for group, event in events:
            await layer.group_send(group, event)


def _send(group: str, event: dict[str, Any]) -> None:
    outbox = _outbox.get()
    if outbox is not None:
        outbox.append((group, event))
        return
    layer = get_channel_layer()
    if layer is not None:
        # From a request thread, on the server's loop (the in-memory layer's queues live
        # there); elsewhere (jobs, commands, Django's ASGI threads) asgiref finds the loop.
        sent, _ = run_on_server_loop(layer.group_send, group, event)
        if not sent:
            async_to_sync(layer.group_send)(group, event)


def publish_message(message: ChatMessage) -> None:
    _send(chat_group(message.chat_id), {"type": "chat.event", "payload": message_payload(message)})


def publish_state(chat: Chat) -> None:
    _send(chat_group(chat.pk), {"type": "chat.event", "payload": state_payload(chat)})


def publish_queue_changed() -> None:
    _send(CONSOLE_GROUP, {"type": "console.event", "payload": {"type": "queue_changed"}})


def publish_assignment(*, agent_id: int, chat_id: int, assigned: bool) -> None:
    payload = {"type": "assigned" if assigned else "released", "chat_id": chat_id}
    _send(agent_group(agent_id), {"type": "console.event", "payload": payload})
