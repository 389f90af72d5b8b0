"""Two uvicorn processes on one Redis carry one conversation: the customer is connected
to one process, the agent to the other, and every message crosses between them."""

from __future__ import annotations

import json
import time
from contextlib import ExitStack

import pytest

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
