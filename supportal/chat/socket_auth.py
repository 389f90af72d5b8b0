"""Sockets end with the credentials they were opened with.

A socket opened with a session cookie lives only as long as that session: a logout, a new
password, deactivating the user or their organization closes it (code 4401). One opened
with an embed link (``?token=``) lives as long as the link would still be accepted.

Three ways it finds out, each enough on its own to keep anything from leaking:
- before every frame it sends, it checks again (``send_json``), so an event that arrives
  after the credentials ended is never written;
- it joins its user's group (``accounts.sockets``), where logouts, password changes and
  deactivations ask it to check at once;
- every ``SUPPORTAL_SOCKET_RECHECK_SECONDS`` it checks anyway, for changes made where
  nothing sent that message (another process on the in-memory layer, the database by hand).

Mixed into the chat's consumers before ``AsyncJsonWebsocketConsumer``; a consumer calls
``bind_credentials`` once it knows who is connecting, before ``accept``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from asgiref.typing import WebSocketDisconnectEvent
from django.conf import settings
from django.db import DatabaseError, connections

from supportal.accounts.credentials import session_still_current, user_still_current
from supportal.accounts.models import User
from supportal.accounts.sockets import session_fingerprint, user_sockets_group

from .dbthread import in_chat_db_threads

log = logging.getLogger(__name__)

CLOSE_CREDENTIALS_ENDED = 4401
CLOSE_CHECK_FAILED = 1011  # the server could not check: try again later
RETRY_PAUSE_SECONDS = 0.05


def _retrying_once(check: Callable[[], bool]) -> bool:
    """A check that meets a connection the database dropped (a restart) or, on SQLite, a
    table locked by a writer tries once more on a fresh connection; a second failure is
    raised (and the socket closes)."""
    try:
        return check()
    except DatabaseError:
        for conn in connections.all(initialized_only=True):
            conn.close()
        time.sleep(RETRY_PAUSE_SECONDS)
        return check()


@in_chat_db_threads
def _session_still_current(session_key: str | None, user_id: int) -> bool:
    return _retrying_once(lambda: session_still_current(session_key, user_id=user_id))


@in_chat_db_threads
def _link_still_current(user_id: int, issued_at: datetime) -> bool:
    return _retrying_once(lambda: user_still_current(user_id, issued_at=issued_at))


class CredentialBoundSocket:
    """See the module's docstring. Before ``bind_credentials`` nothing is checked."""

    _bound_user_id: int | None = None
    _bound_session_key: str | None = None
    _bound_link_issued_at: datetime | None = None
    _credentials_ended = False
    _last_check = 0.0
    _recheck_task: asyncio.Task[None] | None = None

    async def bind_credentials(self, user: User, *, link_issued_at: datetime | None = None) -> None:
        """Tie this socket to the session it came with, or to the embed link it used."""
        self._bound_user_id = user.pk
        self._bound_link_issued_at = link_issued_at
        if link_issued_at is None:
            session = self.scope.get("session")  # type: ignore[attr-defined]
            self._bound_session_key = session.session_key if session is not None else None
        self._last_check = time.monotonic()
        await self.channel_layer.group_add(  # type: ignore[attr-defined]
            user_sockets_group(user.pk),
            self.channel_name,  # type: ignore[attr-defined]
        )
        self._recheck_task = asyncio.get_running_loop().create_task(self._recheck_periodically())

    async def _credentials_still_current(self) -> bool:
        if self._credentials_ended:
            return False
        assert self._bound_user_id is not None
        if self._bound_link_issued_at is not None:
            current = await _link_still_current(self._bound_user_id, self._bound_link_issued_at)
        else:
            current = await _session_still_current(self._bound_session_key, self._bound_user_id)
        self._last_check = time.monotonic()
        return current

    async def _end(self, code: int = CLOSE_CREDENTIALS_ENDED) -> None:
        if self._credentials_ended:
            return
        self._credentials_ended = True
        await self.close(code=code)  # type: ignore[attr-defined]

    async def _still_current_or_close(self) -> bool:
        """Check; close when the credentials ended, or when they cannot be checked (the
        database is away: the client connects again later and is checked then)."""
        try:
            current = await self._credentials_still_current()
        except DatabaseError:
            log.warning("a socket could not check its credentials; closing it", exc_info=True)
            await self._end(CLOSE_CHECK_FAILED)
            return False
        if not current:
            await self._end()
        return current

    async def send_json(self, content: Any, close: bool = False) -> None:
        if self._bound_user_id is not None and not await self._still_current_or_close():
            return
        await super().send_json(content, close)  # type: ignore[misc]

    async def auth_recheck(self, event: dict[str, Any]) -> None:
        """From ``accounts.sockets``: a logout (naming the session it ended), a password
        change or a deactivation of this socket's user."""
        if self._bound_user_id is None:
            return
        ended = event.get("ended_session")
        if ended and ended == session_fingerprint(self._bound_session_key):
            await self._end()
            return
        await self._still_current_or_close()

    async def _recheck_periodically(self) -> None:
        while not self._credentials_ended:
            interval = settings.SUPPORTAL_SOCKET_RECHECK_SECONDS
            await asyncio.sleep(max(0.05, interval - (time.monotonic() - self._last_check)))
            if time.monotonic() - self._last_check < interval:
                continue  # a frame sent meanwhile checked
            try:
                current = await self._credentials_still_current()
            except DatabaseError:
                # The database is away: an idle socket waits for the next round; frames
                # sent meanwhile check for themselves and close if they cannot.
                log.warning("socket credential check met a database error", exc_info=True)
                continue
            if not current:
                await self._end()

    async def websocket_disconnect(self, message: WebSocketDisconnectEvent) -> None:
        task, self._recheck_task = self._recheck_task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._bound_user_id is not None:
            await self.channel_layer.group_discard(  # type: ignore[attr-defined]
                user_sockets_group(self._bound_user_id),
                self.channel_name,  # type: ignore[attr-defined]
            )
        await super().websocket_disconnect(message)  # type: ignore[misc]
