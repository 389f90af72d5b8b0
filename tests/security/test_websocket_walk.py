"""The authorization walker's WebSocket part: the live chat's sockets refuse every role that
should not use them, with a foreign and with a good Origin, and change nothing.

Sockets go through the whole ASGI application (``supportal.asgi.application``: origin
check, session authentication from the cookie, routing, the consumers) with channels'
``WebsocketCommunicator``. The chat is alice's live chat of the walker's world; the roles
are anonymous, carol (another organization), bob (alice's colleague, a plain customer who
does not own the chat), alice herself (customer admin, not staff, for the console), the
read-only auditor and an agent who is not the chat's agent. An embed token (``?token=``)
of a foreign customer is tried too. Positive controls: alice joins her chat and an agent
opens the console with a good Origin, so a refusal is not a broken socket."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator

from supportal.asgi import application
from supportal.chat.access import issue_embed_token
from supportal.chat.consumers import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND
from supportal.chat.models import Chat, ChatMessage
from tests.sessions import session_cookie

from .walker import changes, snapshot
from .world import build_world

GOOD_ORIGIN = b"http://testserver"
BAD_ORIGINS = (b"https://evil.example", b"null")
REFUSED_CODES = {CLOSE_FORBIDDEN, CLOSE_NOT_FOUND}
TIMEOUT = 10


def _attempt(path: str, origin: bytes | None, cookie: bytes | None) -> tuple[bool, object]:
    headers = [(b"host", b"testserver")]
    if origin is not None:
        headers.append((b"origin", origin))
    if cookie is not None:
        headers.append((b"cookie", cookie))

    async def scenario() -> tuple[bool, object]:
        comm = WebsocketCommunicator(application, path, headers=headers)
        connected, code = await comm.connect(timeout=TIMEOUT)
        if connected:
            # Accepted: try to write, so the database check below would see it.
            await comm.send_json_to({"type": "message", "body": "walker was here"})
            await comm.receive_nothing(timeout=0.2)
        await comm.disconnect()
        return connected, code

    return async_to_sync(scenario)()


def _nul_message_is_refused(path: str, cookie: bytes) -> bool:
    """A message with a NUL character is an ``invalid`` error; the socket stays usable."""
    headers = [(b"host", b"testserver"), (b"origin", GOOD_ORIGIN), (b"cookie", cookie)]

    async def scenario() -> bool:
        comm = WebsocketCommunicator(application, path, headers=headers)
        connected, _ = await comm.connect(timeout=TIMEOUT)
        assert connected
        await comm.send_json_to({"type": "message", "body": "walker\x00nul"})
        while True:
            event = await comm.receive_json_from(timeout=TIMEOUT)
            if event["type"] == "error":
                break
        await comm.send_json_to({"type": "typing"})
        still_open = await comm.receive_nothing(timeout=0.2)
        await comm.disconnect()
        return event["code"] == "invalid" and "NUL" in event["message"] and still_open

    return async_to_sync(scenario)()


def test_every_socket_refuses_every_role_that_should_not_use_it(
    transactional_db, django_db_serialized_rollback, settings
) -> None:
    settings.SUPPORTAL_CHAT_RECONNECT_GRACE_SECONDS = 3600  # no re-queue task after a test
    world = build_world()
    demo = world.demo
    chat = Chat.objects.get(subject="Walker chat")
    other_agent = demo.agent_es
    assert chat.agent_id != other_agent.pk
    cookies: dict[str, bytes | None] = {
        "anonymous": None,
        "carol": session_cookie(demo.carol),
        "bob": session_cookie(demo.bob),
        "auditor": session_cookie(world.auditor),
        "alice": session_cookie(demo.alice),
        "agent (not the chat's)": session_cookie(other_agent),
    }
    foreign_token = issue_embed_token(demo.carol)
    refusals = {
        f"/ws/chat/{chat.pk}/": ["anonymous", "carol", "bob", "auditor", "agent (not the chat's)"],
        "/ws/chat/console/": ["anonymous", "carol", "bob", "alice", "auditor"],
        f"/ws/chat/{chat.pk}/?token={foreign_token}": ["anonymous", "bob"],
        "/ws/chat/999999/": ["carol", "bob", "alice", "auditor"],
    }

    problems: list[str] = []
    attempts = 0
    before = snapshot()
    messages_before = ChatMessage.objects.count()
    for path, roles in refusals.items():
        for role in roles:
            for origin in (GOOD_ORIGIN, *BAD_ORIGINS, None):
                attempts += 1
                connected, code = _attempt(path, origin, cookies[role])
                if connected:
                    problems.append(f"{role} {path} origin={origin!r}: accepted")
                elif origin == GOOD_ORIGIN and code not in REFUSED_CODES:
                    problems.append(f"{role} {path}: closed with {code}, not 4403/4404")
    # A good user with a foreign Origin is refused at the handshake too.
    for path, role in (
        (f"/ws/chat/{chat.pk}/", "alice"),
        ("/ws/chat/console/", "agent (not the chat's)"),
    ):
        for origin in (*BAD_ORIGINS, None):
            attempts += 1
            connected, _ = _attempt(path, origin, cookies[role])
            if connected:
                problems.append(f"{role} {path} origin={origin!r}: accepted")
    assert not problems, "\n".join(problems)
    assert attempts == 70
    assert changes(before, snapshot()) == []
    assert ChatMessage.objects.count() == messages_before

    # Positive controls: the same sockets work for those who should use them.
    connected, _ = _attempt(f"/ws/chat/{chat.pk}/", GOOD_ORIGIN, cookies["alice"])
    assert connected, "alice joins her own chat"
    assert _nul_message_is_refused(f"/ws/chat/{chat.pk}/", cookies["alice"])
    assert (
        not ChatMessage.objects.filter(body__contains="walker")
        .exclude(body="walker was here")
        .exists()
    )
    connected, _ = _attempt("/ws/chat/console/", GOOD_ORIGIN, cookies["agent (not the chat's)"])
    assert connected, "an agent opens the console"
