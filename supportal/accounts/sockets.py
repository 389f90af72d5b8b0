"""Telling a user's open WebSockets to check their credentials again, now.

Every socket that speaks for a user joins ``user-sockets.<id>`` on the channel layer. A
logout, a password change or a deactivation sends ``auth.recheck`` there (after commit):
each socket checks its own session or link again and closes if it no longer holds
(``supportal.chat.socket_auth``). The message only hurries what sockets do anyway before
every write and every ``SUPPORTAL_SOCKET_RECHECK_SECONDS``, so a lost message (another
process on the in-memory layer, Redis briefly away) leaks nothing.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.http import HttpRequest

from supportal.core.http_threads import run_on_server_loop

from .models import User

log = logging.getLogger(__name__)

RECHECK = "auth.recheck"


def user_sockets_group(user_id: int) -> str:
    return f"user-sockets.{user_id}"


def session_fingerprint(session_key: str | None) -> str | None:
    """What the channel layer carries instead of a session key (which would log one in)."""
    return hashlib.sha256(session_key.encode()).hexdigest() if session_key else None


def recheck_sockets_of(user_ids: Iterable[int], *, ended_session_key: str | None = None) -> None:
    """Ask every open socket of these users to check its credentials again.

    ``ended_session_key``: the session a logout just ended; its sockets close without
    waiting for the database. Never raises: a channel layer that is away must not fail the
    logout or password change that called it."""
    layer = get_channel_layer()
    if layer is None:
        return
    event = {"type": RECHECK, "ended_session": session_fingerprint(ended_session_key)}
    for user_id in user_ids:
        group = user_sockets_group(user_id)
        try:
            sent, _ = run_on_server_loop(layer.group_send, group, event)
            if not sent:
                async_to_sync(layer.group_send)(group, event)
        except Exception:  # noqa: BLE001 - the sockets still check before every write
            log.warning("could not tell the sockets of user %s to recheck", user_id, exc_info=True)


def close_sockets_of_ended_session(
    sender: Any, request: HttpRequest, user: User | None, **kwargs: Any
) -> None:
    """``user_logged_out`` receiver: the sockets opened with this session close now.

    Django sends the signal just before it empties the session, so the sockets are told
    which session ended instead of finding out from the store (which would race)."""
    if user is None or getattr(request, "session", None) is None:
        return
    session_key = request.session.session_key
    user_id = user.pk
    transaction.on_commit(lambda: recheck_sockets_of([user_id], ended_session_key=session_key))
