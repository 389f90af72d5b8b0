"""WebSocket consumers: one chat (customer or agent side) and the agent console.

Protocol, JSON both ways.
Chat socket ``/ws/chat/<id>/?after=<seq>[&token=<signed>]``: the server first replays every
message with a sequence number above ``after``, then sends the chat's state, then live
events. Client sends ``{"type": "message", "body"}`` and ``{"type": "typing"}``; server
sends ``message``, ``state``, ``typing`` and ``error`` events.
Console socket ``/ws/chat/console/``: client sends ``{"type": "heartbeat"}``; server sends
``queue_changed``, ``assigned`` and ``released``."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from supportal.accounts.models import User
from supportal.core import languages
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation

from . import broadcast, services, time_limit
from .access import can_join, can_use_console, embed_token_holder
from .dbthread import in_chat_db_threads, in_db_thread
from .models import Chat, ChatMessage
from .socket_auth import CredentialBoundSocket

log = logging.getLogger(__name__)

# Close codes (4000-4999 are the application's).
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
TYPING_INTERVAL_SECONDS = 1.0


class RateLimiter:
    """At most ``limit`` events in any ``window`` seconds (a sliding log; per connection)."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self.times: deque[float] = deque()

    def allow(self) -> bool:
        now = time.monotonic()
        while self.times and now - self.times[0] >= self.window:
            self.times.popleft()
        if len(self.times) >= self.limit:
            return False
        self.times.append(now)
        return True


def _query(scope: Mapping[str, Any]) -> dict[str, str]:
    raw = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return {key: values[-1] for key, values in raw.items()}


@in_chat_db_threads
def _embed_token_holder(token: str) -> tuple[User, Any] | None:
    return embed_token_holder(token)


@in_chat_db_threads
def _language_of(user: User) -> str:
    return languages.language_of(user)


@in_chat_db_threads
def _post_message(
    chat_id: int, author: User, body: str, language: str
) -> list[tuple[str, dict[str, Any]]]:
    """Write the message; return the events to broadcast (sent by the caller, after commit).
    A refusal is worded in ``language``, the writer's."""
    with translation.override(language), broadcast.collecting() as events:
        services.post_message(chat_id=chat_id, author=author, body=body)
    return events


@in_chat_db_threads
def _load_chat(chat_id: int) -> Chat | None:
    return Chat.objects.select_related("agent", "ticket").filter(pk=chat_id).first()


@in_chat_db_threads
def _history(chat_id: int, after: int) -> tuple[int, list[dict[str, Any]]]:
    """The chat's last sequence number, read first, and the messages after ``after``.

    Every message up to the number read is committed (a number is taken and its message
    written in one transaction); any later one is either in the list or still to come
    over the channel layer, as the socket joined the chat's group before this read."""
    last_seq = Chat.objects.filter(pk=chat_id).values_list("last_seq", flat=True).get()
    messages = (
        ChatMessage.objects.filter(chat_id=chat_id, seq__gt=after)
        .select_related("author", "file")
        .order_by("seq")
    )
    return last_seq, [broadcast.message_payload(m) for m in messages]


@in_chat_db_threads
def _enforce_limit(chat_id: int) -> list[tuple[str, dict[str, Any]]]:
    """Warn or hand over this chat if its time has come (claimed: once, whoever runs it)."""
    with broadcast.collecting() as events:
        try:
            time_limit.warn_chat(chat_id=chat_id)
            time_limit.hand_over_overdue_chat(chat_id=chat_id)
        except (RuleViolation, InvalidInput) as exc:
            log.warning("chat %s not handed over: %s", chat_id, exc)
    return events


async def _enforce_at(chat_id: int, moments: list[datetime]) -> None:
    """At each moment (the warning, the limit), enforce the chat's limit from this process,
    where the chat's sockets are: the periodic job does the same every minute for chats
    nobody is connected to."""
    for moment in sorted(moments):
        delay = (moment - timezone.now()).total_seconds()
        if delay > 0:
            await asyncio.sleep(delay + 0.05)
        # Shielded: the state this sends reschedules (cancels) this watch mid-way.
        await asyncio.shield(_enforce_and_send(chat_id))


async def _enforce_and_send(chat_id: int) -> None:
    await broadcast.send_collected(await _enforce_limit(chat_id))


def _log_failure(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("chat time limit watch failed", exc_info=task.exception())


def _moments(state: dict[str, Any]) -> list[datetime]:
    if state.get("status") not in Chat.LIVE_STATUSES:
        return []
    return [
        datetime.fromisoformat(state[key]) for key in ("warning_at", "limit_at") if state.get(key)
    ]


class ChatConsumer(CredentialBoundSocket, AsyncJsonWebsocketConsumer):
    user: User
    chat: Chat

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels closes Django's stale connections before every event, a hop into the
        # process's one database thread for each frame and each broadcast received. This
        # consumer's database work runs in the chat threads, which look after their own
        # connections (see dbthread), so the events go straight to their handlers.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self) -> None:
        query = _query(self.scope)
        # The auth middleware's lazy user: our User, or an AnonymousUser (refused below).
        user = cast("User | None", self.scope.get("user"))
        link_issued_at = None
        if query.get("token"):
            holder = await _embed_token_holder(query["token"])
            user, link_issued_at = holder if holder else (None, None)
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        chat = await _load_chat(int(self.scope["url_route"]["kwargs"]["chat_id"]))
        if chat is None or not can_join(user, chat):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user, self.chat = user, chat
        self.language = await _language_of(user)  # of the refusals sent to this socket
        self.role = "agent" if user.is_support_staff else "customer"
        self.limiter = RateLimiter(
            settings.SUPPORTAL_CHAT_RATE_MESSAGES, settings.SUPPORTAL_CHAT_RATE_SECONDS
        )
        self.last_typing = 0.0
        await self.bind_credentials(user, link_issued_at=link_issued_at)
        await self.channel_layer.group_add(broadcast.chat_group(chat.pk), self.channel_name)
        await self.accept()
        try:
            after = max(0, int(query.get("after", "0")))
        except ValueError:
            after = 0
        last_seq, replay = await _history(chat.pk, after)
        # The highest sequence number this socket has had, or asked to skip: every message
        # up to it was sent (or was the client's already), none above it.
        self.sent_seq = min(after, last_seq)
        for payload in replay:
            await self._send_message(payload)
        state = broadcast.state_payload(chat)
        await self.send_json(state)
        self._watch_limit(state)

    def _watch_limit(self, state: dict[str, Any]) -> None:
        """(Re)schedule the enforcement of the chat's time limit from its latest state."""
        watch: asyncio.Task[None] | None = getattr(self, "limit_watch", None)
        if watch is not None:
            watch.cancel()
        moments = _moments(state)
        self.limit_watch = None
        if moments:
            watch = asyncio.get_running_loop().create_task(_enforce_at(self.chat.pk, moments))
            watch.add_done_callback(_log_failure)
            self.limit_watch = watch

    async def _send_message(self, payload: dict[str, Any]) -> None:
        """Send messages once each and in sequence order. Broadcasts from different
        writers (threads, processes) can arrive out of order: one that skips ahead sends
        the missing ones from the database first (they are committed: numbers are taken in
        commit order). Ones already sent (a replay raced a broadcast) are dropped."""
        seq = payload["seq"]
        if seq <= self.sent_seq:
            return
        if seq > self.sent_seq + 1:
            _last, missing = await _history(self.chat.pk, self.sent_seq)
            for earlier in missing:
                if earlier["seq"] > self.sent_seq:
                    await self.send_json(earlier)
                    self.sent_seq = earlier["seq"]
            if seq <= self.sent_seq:
                return
        await self.send_json(payload)
        self.sent_seq = seq

    async def disconnect(self, code: int) -> None:
        watch: asyncio.Task[None] | None = getattr(self, "limit_watch", None)
        if watch is not None:
            watch.cancel()
        if hasattr(self, "chat"):
            await self.channel_layer.group_discard(
                broadcast.chat_group(self.chat.pk), self.channel_name
            )

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        with translation.override(self.language):
            await self._receive(content)

    async def _receive(self, content: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "message":
            await self._message(content.get("body"))
        elif kind == "typing":
            await self._typing()
        else:
            await self.send_json(
                {"type": "error", "code": "unknown_type", "message": _("Unknown message type.")}
            )

    async def _message(self, body: Any) -> None:
        if not self.limiter.allow():
            await self.send_json(
                {
                    "type": "error",
                    "code": "rate_limited",
                    "message": _("You are sending messages too fast; wait a moment."),
                }
            )
            return
        if not isinstance(body, str):
            body = ""
        try:
            events = await _post_message(self.chat.pk, self.user, body, self.language)
        except InvalidInput as exc:
            await self.send_json(
                {"type": "error", "code": "invalid", "message": " ".join(exc.errors.values())}
            )
        except RuleViolation as exc:
            await self.send_json({"type": "error", "code": exc.code, "message": exc.message})
        except NotPermitted as exc:
            await self.send_json({"type": "error", "code": "forbidden", "message": str(exc)})
        except DatabaseError:
            # The database dropped the connection (a restart, a failover): the thread's
            # connection is closed and the next message takes a fresh one. The socket stays.
            log.warning("chat %s: a message met a database error", self.chat.pk, exc_info=True)
            await self.send_json(
                {
                    "type": "error",
                    "code": "unavailable",
                    "message": _("Your message could not be saved; send it again."),
                }
            )
        else:
            await broadcast.send_collected(events)

    async def _typing(self) -> None:
        now = time.monotonic()
        if now - self.last_typing < TYPING_INTERVAL_SECONDS:
            return
        self.last_typing = now
        await self.channel_layer.group_send(
            broadcast.chat_group(self.chat.pk),
            {
                "type": "chat.event",
                "payload": {
                    "type": "typing",
                    "role": self.role,
                    "author": self.user.get_short_name(),
                },
                "sender": self.channel_name,
            },
        )

    async def chat_event(self, event: dict[str, Any]) -> None:
        if event.get("sender") == self.channel_name:
            return  # nobody needs to see their own typing indicator
        payload = event["payload"]
        if payload["type"] == "message":
            await self._send_message(payload)
            return
        await self.send_json(payload)
        if payload["type"] == "state":
            self._watch_limit(payload)
        if (
            payload["type"] == "state"
            and self.role == "agent"
            and payload["agent_id"] != self.user.pk
        ):
            # Transferred away or back in the waiting list: this agent no longer writes here.
            await self.close(code=CLOSE_FORBIDDEN)


class ConsoleConsumer(CredentialBoundSocket, AsyncJsonWebsocketConsumer):
    """The agent console's live link: presence (heartbeats) and waiting-list updates."""

    user: User

    async def connect(self) -> None:
        # The auth middleware's lazy user: our User, or an AnonymousUser (refused below).
        user = cast("User | None", self.scope.get("user"))
        if user is None or not can_use_console(user):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user = user
        await self.bind_credentials(user)
        await self.channel_layer.group_add(broadcast.CONSOLE_GROUP, self.channel_name)
        await self.channel_layer.group_add(broadcast.agent_group(user.pk), self.channel_name)
        await in_db_thread(services.console_connected)(agent=user, channel_name=self.channel_name)
        await self.accept()
        await self.send_json(
            {"type": "hello", "heartbeat_seconds": settings.SUPPORTAL_CHAT_HEARTBEAT_SECONDS}
        )

    async def disconnect(self, code: int) -> None:
        if not hasattr(self, "user"):
            return
        await self.channel_layer.group_discard(broadcast.CONSOLE_GROUP, self.channel_name)
        await self.channel_layer.group_discard(
            broadcast.agent_group(self.user.pk), self.channel_name
        )
        await in_db_thread(services.console_closed)(channel_name=self.channel_name)
        grace = settings.SUPPORTAL_CHAT_RECONNECT_GRACE_SECONDS
        if grace <= 0:
            await in_db_thread(services.requeue_if_agent_gone)(agent=self.user)
            return
        # A page reload closes the console and opens it again at once: only an agent still
        # gone after the grace period loses their chats. (The periodic sweep backs this up
        # should this process stop meanwhile.)
        task = asyncio.get_running_loop().create_task(_requeue_later(self.user, grace))
        _pending.add(task)
        task.add_done_callback(_pending.discard)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "heartbeat":
            await in_db_thread(_heartbeat)(self.user, self.channel_name)
            await self.send_json({"type": "heartbeat_ok"})

    async def console_event(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])


_pending: set[asyncio.Task[Any]] = set()


async def _requeue_later(user: User, delay: float) -> None:
    await asyncio.sleep(delay)
    await in_db_thread(services.requeue_if_agent_gone)(agent=user)


def _heartbeat(user: User, channel_name: str) -> None:
    services.console_heartbeat(agent=user, channel_name=channel_name)
    services.sweep_stale_consoles()
