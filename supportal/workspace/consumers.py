"""Who else is on a ticket: the presence socket of the agent's ticket page.

Socket ``/ws/tickets/<id>/presence/``, staff only (read-only staff too: they are seen
viewing, never typing). JSON both ways. The server keeps no list: a socket that joins
announces itself to the ticket's group and each one already there answers it directly.

Client sends ``{"type": "typing"}`` while its agent types (at most a few a second count).
Server sends ``hello`` (the socket's own ``conn``), then ``here`` for each colleague on the
ticket, ``joined``, ``typing`` and ``left`` as they happen. Each event names the colleague
(``user``: id and name) and their socket (``conn``: one person may have two tabs open)."""

from __future__ import annotations

import secrets
import time
from typing import Any, cast

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from supportal.accounts.models import User
from supportal.chat.dbthread import in_chat_db_threads
from supportal.chat.socket_auth import CredentialBoundSocket
from supportal.tickets.access import can_read_as_staff, can_work_tickets
from supportal.tickets.models import Ticket

CLOSE_FORBIDDEN = 4403
TYPING_INTERVAL_SECONDS = 1.0


def presence_group(ticket_id: int) -> str:
    return f"ticket-presence-{ticket_id}"


@in_chat_db_threads
def _ticket_exists(ticket_id: int) -> bool:
    return Ticket.objects.filter(pk=ticket_id).exists()


class TicketPresenceConsumer(CredentialBoundSocket, AsyncJsonWebsocketConsumer):
    group = ""

    async def connect(self) -> None:
        user = cast("User | None", self.scope.get("user"))
        if user is None or not can_read_as_staff(user):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        ticket_id = int(self.scope["url_route"]["kwargs"]["ticket_id"])
        if not await _ticket_exists(ticket_id):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user: User = user
        self.conn = secrets.token_hex(8)
        self.can_type = can_work_tickets(user)
        self.last_typing = 0.0
        self.group = presence_group(ticket_id)
        await self.bind_credentials(user)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "conn": self.conn})
        await self._to_group("presence.join", reply_to=self.channel_name)

    def _me(self) -> dict[str, Any]:
        return {
            "conn": self.conn,
            "user": {"id": self.user.pk, "name": self.user.get_full_name()},
        }

    async def _to_group(self, kind: str, **extra: Any) -> None:
        await self.channel_layer.group_send(self.group, {"type": kind, **self._me(), **extra})

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict) or content.get("type") != "typing":
            return
        now = time.monotonic()
        if not self.can_type or now - self.last_typing < TYPING_INTERVAL_SECONDS:
            return
        self.last_typing = now
        await self._to_group("presence.typing")

    async def disconnect(self, code: int) -> None:
        if not self.group:
            return
        await self._to_group("presence.leave")
        await self.channel_layer.group_discard(self.group, self.channel_name)

    # --- Group events: tell this socket's page about the others, never about itself ---

    def _other(self, event: dict[str, Any]) -> bool:
        return event.get("conn") != self.conn

    @staticmethod
    def _public(kind: str, event: dict[str, Any]) -> dict[str, Any]:
        return {"type": kind, "conn": event["conn"], "user": event["user"]}

    async def presence_join(self, event: dict[str, Any]) -> None:
        if not self._other(event):
            return
        await self.send_json(self._public("joined", event))
        # The newcomer learns who was here before it: answered to its socket alone.
        await self.channel_layer.send(event["reply_to"], {"type": "presence.here", **self._me()})

    async def presence_here(self, event: dict[str, Any]) -> None:
        if self._other(event):
            await self.send_json(self._public("here", event))

    async def presence_typing(self, event: dict[str, Any]) -> None:
        if self._other(event):
            await self.send_json(self._public("typing", event))

    async def presence_leave(self, event: dict[str, Any]) -> None:
        if self._other(event):
            await self.send_json(self._public("left", event))
