"""Two uvicorn processes on one Redis carry one conversation: the customer is connected
to one process, the agent to the other, and every message crosses between them."""

from __future__ import annotations

import asyncio
import json
import time
from contextlib import ExitStack
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from supportal.accounts.models import Product
from supportal.chat import services
from supportal.chat.models import Chat, ChatMessage
from supportal.demo.loader import load_demo

from .conftest import session_cookie
from .servers import demo_data_dir, redis_answers, run_python, uvicorn

pytestmark = pytest.mark.skipif(
    not redis_answers(), reason="needs Redis at 127.0.0.1:6379 (the channels_redis layer)"
)
# A Redis database of its own, so other suites' groups never mix with these.
REDIS_URL = "redis://127.0.0.1:6379/11"

SETUP = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from supportal.accounts.models import Product, User
from supportal.chat import services
from supportal.chat.models import Chat

def cookie(user):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "supportal.accounts.backends.AccountBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"sessionid={store.session_key}"

bob = User.objects.get(email="bob@acmeprint.test")
agent = User.objects.get(email="agent@vendor.test")
# Created directly: this test is about transport, not about today's support hours.
chat = Chat.objects.create(
    organization=bob.organization, customer=bob,
    product=Product.objects.get(slug="pressero"), subject="Across two processes",
)
services.accept_chat(chat_id=chat.pk, agent=agent)
print(json.dumps({"chat": chat.pk, "bob": cookie(bob), "agent": cookie(agent)}))
"""


def receive(conn, kind: str, timeout: float = 5.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        event = json.loads(conn.recv(timeout=max(0.01, deadline - time.monotonic())))
        if event["type"] == kind:
            return event


def test_customer_on_one_process_and_agent_on_the_other_share_one_conversation(
    tmp_path_factory, tmp_path
):
    from websockets.sync.client import connect

    data_dir = demo_data_dir(tmp_path_factory)
    made = json.loads(run_python(SETUP, data_dir).strip().splitlines()[-1])
    path = f"/ws/chat/{made['chat']}/"

    def open_socket(base: str, cookie: str):
        return connect(
            base.replace("http://", "ws://") + path,
            additional_headers={"Cookie": cookie, "Origin": base},
            open_timeout=10,
        )

    with ExitStack() as stack:
        a = stack.enter_context(uvicorn(data_dir, tmp_path / "a.log", REDIS_URL=REDIS_URL))
        b = stack.enter_context(uvicorn(data_dir, tmp_path / "b.log", REDIS_URL=REDIS_URL))
        customer = stack.enter_context(open_socket(a, made["bob"]))
        agent = stack.enter_context(open_socket(b, made["agent"]))
        assert receive(customer, "state")["status"] == "active"
        assert receive(agent, "state")["agent"] == "Avery Agent"

        customer.send(json.dumps({"type": "typing"}))
        assert receive(agent, "typing")["role"] == "customer"
        customer.send(json.dumps({"type": "message", "body": "Hello from process A"}))
        heard = receive(agent, "message")
        agent.send(json.dumps({"type": "message", "body": "Hello from process B"}))
        answer = receive(customer, "message")
        while answer["body"] != "Hello from process B":
            answer = receive(customer, "message")

    assert heard["body"] == "Hello from process A" and heard["role"] == "customer"
    assert answer["seq"] == heard["seq"] + 1 and answer["role"] == "agent"


BURST = 25


def _committed_chat(tmp_path_factory, tmp_path) -> tuple[dict, Path, dict[str, str]]:
    """A live chat, the two sides' cookies, the data dir and the database the servers use:
    on PostgreSQL the test database itself (committed rows), else a SQLite file."""
    if connection.vendor == "postgresql":
        # Committed (the mark below), at today's date: the servers check the sessions.
        demo = load_demo(with_tickets=False)
        chat = Chat.objects.create(
            organization=demo.bob.organization,
            customer=demo.bob,
            product=Product.objects.get(slug="pressero"),
            subject="Two writers at once",
        )
        services.accept_chat(chat_id=chat.pk, agent=demo.agent)
        made = {
            "chat": chat.pk,
            "bob": session_cookie(demo.bob).decode(),
            "agent": session_cookie(demo.agent).decode(),
        }
        db = connection.settings_dict
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        # The sessions were signed here: the servers need this process's key.
        return made, tmp_path, {"DATABASE_URL": url, "SECRET_KEY": settings.SECRET_KEY}
    data_dir = demo_data_dir(tmp_path_factory)
    return json.loads(run_python(SETUP, data_dir).strip().splitlines()[-1]), data_dir, {}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_both_sides_writing_at_once_from_two_processes_get_unique_gap_free_numbers(
    tmp_path_factory, tmp_path
):
    """The customer on one process and the agent on the other each send a burst at the same
    time: the stored numbers are unique and gap-free, and each side receives every
    message once, in number order."""
    from websockets.asyncio.client import connect

    made, data_dir, database = _committed_chat(tmp_path_factory, tmp_path)
    path = f"/ws/chat/{made['chat']}/"
    env = {"REDIS_URL": REDIS_URL, "SUPPORTAL_CHAT_RATE_MESSAGES": "1000", **database}

    async def side(base: str, cookie: str, name: str, start: asyncio.Event):
        url = base.replace("http://", "ws://") + path
        headers = {"Cookie": cookie, "Origin": base}
        async with connect(url, additional_headers=headers, open_timeout=10) as ws:
            first = None
            while first is None:  # the replay, then the state
                event = json.loads(await asyncio.wait_for(ws.recv(), 10))
                if event["type"] == "state":
                    first = True
            await start.wait()
            for n in range(BURST):
                await ws.send(json.dumps({"type": "message", "body": f"{name} {n}"}))
            seen = []
            while len(seen) < 2 * BURST:
                event = json.loads(await asyncio.wait_for(ws.recv(), 20))
                if event["type"] == "message":
                    seen.append((event["seq"], event["body"]))
                elif event["type"] == "error":
                    raise AssertionError(event)
            return seen

    async def both(a: str, b: str):
        start = asyncio.Event()
        tasks = [
            asyncio.create_task(side(a, made["bob"], "customer", start)),
            asyncio.create_task(side(b, made["agent"], "agent", start)),
        ]
        await asyncio.sleep(0.5)  # both joined
        start.set()
        return await asyncio.gather(*tasks)

    with ExitStack() as stack:
        a = stack.enter_context(uvicorn(data_dir, tmp_path / "a.log", **env))
        b = stack.enter_context(uvicorn(data_dir, tmp_path / "b.log", **env))
        customer_saw, agent_saw = asyncio.run(both(a, b))

    if database:
        stored = list(ChatMessage.objects.filter(chat_id=made["chat"]).values_list("seq", "body"))
    else:
        stored = json.loads(
            run_python(
                "import json\nfrom supportal.chat.models import ChatMessage\n"
                f"print(json.dumps(list(ChatMessage.objects.filter(chat_id={made['chat']})"
                ".order_by('seq').values_list('seq', 'body'))))",
                data_dir,
            )
            .strip()
            .splitlines()[-1]
        )
        stored = [tuple(row) for row in stored]
    burst = stored[-2 * BURST :]
    assert [seq for seq, _ in stored] == list(range(1, len(stored) + 1))
    assert sorted(body for _, body in burst) == sorted(
        [f"customer {n}" for n in range(BURST)] + [f"agent {n}" for n in range(BURST)]
    )
    assert customer_saw == agent_saw == burst
    # Each side's own messages were stored in the order it sent them.
    for name in ("customer", "agent"):
        mine = [body for _, body in burst if body.startswith(name)]
        assert mine == [f"{name} {n}" for n in range(BURST)]
