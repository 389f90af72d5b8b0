"""The ticket page's presence socket: colleagues see each other viewing and typing;
customers and other people's sockets are kept out."""

from __future__ import annotations

from asgiref.sync import async_to_sync, sync_to_async
from django.test import Client
from django.urls import reverse

from supportal.accounts.models import User
from supportal.chat.socket_auth import CLOSE_CREDENTIALS_ENDED
from supportal.tickets.models import Ticket
from supportal.workspace.consumers import CLOSE_FORBIDDEN
from tests.chat.conftest import socket
from tests.factories import make_ticket
from tests.sessions import session_cookie


def path(ticket: Ticket) -> str:
    return f"/ws/tickets/{ticket.pk}/presence/"


async def receive(comm, kind: str) -> dict:
    while True:
        event = await comm.receive_json_from(timeout=3)
        if event["type"] == kind:
            return event


def test_two_agents_on_a_ticket_see_each_other_view_type_and_leave(live_demo):
    ticket = make_ticket(live_demo.bob)
    avery, elena = session_cookie(live_demo.agent), session_cookie(live_demo.agent_es)

    async def scenario():
        first = socket(path(ticket), avery)
        assert (await first.connect())[0]
        hello = await receive(first, "hello")
        second = socket(path(ticket), elena)
        assert (await second.connect())[0]
        await receive(second, "hello")
        joined = await receive(first, "joined")
        here = await receive(second, "here")
        await second.send_json_to({"type": "typing"})
        typing = await receive(first, "typing")
        await second.send_json_to({"type": "typing"})  # within a second: not sent again
        assert await first.receive_nothing(timeout=0.3)
        await second.disconnect()
        left = await receive(first, "left")
        assert await first.receive_nothing(timeout=0.2)  # its own events never come back
        await first.disconnect()
        return hello, joined, here, typing, left

    hello, joined, here, typing, left = async_to_sync(scenario)()
    elena_is = {"id": live_demo.agent_es.pk, "name": "Elena Agente"}
    assert joined["user"] == typing["user"] == left["user"] == elena_is
    assert here["user"] == {"id": live_demo.agent.pk, "name": "Avery Agent"}
    assert here["conn"] == hello["conn"]
    assert joined["conn"] == typing["conn"] == left["conn"] != hello["conn"]


def test_read_only_staff_are_seen_viewing_but_never_typing(live_demo):
    auditor = User.objects.create_user("audit@vendor.test", role=User.Role.AUDITOR, name="Ada")
    ticket = make_ticket(live_demo.bob)
    avery, ada = session_cookie(live_demo.agent), session_cookie(auditor)

    async def scenario():
        agent = socket(path(ticket), avery)
        assert (await agent.connect())[0]
        watcher = socket(path(ticket), ada)
        assert (await watcher.connect())[0]
        joined = await receive(agent, "joined")
        await watcher.send_json_to({"type": "typing"})
        quiet = await agent.receive_nothing(timeout=0.3)
        await watcher.disconnect()
        await agent.disconnect()
        return joined, quiet

    joined, quiet = async_to_sync(scenario)()
    assert joined["user"]["name"] == "Ada" and quiet


def test_customers_strangers_and_missing_tickets_are_refused(live_demo):
    ticket = make_ticket(live_demo.bob)
    bob, alice = session_cookie(live_demo.bob), session_cookie(live_demo.alice)
    avery = session_cookie(live_demo.agent)

    async def scenario():
        results = []
        for target, cookie in ((path(ticket), bob), (path(ticket), alice), (path(ticket), None)):
            comm = socket(target, cookie)
            results.append(await comm.connect())
            await comm.disconnect()
        comm = socket(f"/ws/tickets/{ticket.pk + 999}/presence/", avery)
        results.append(await comm.connect())
        await comm.disconnect()
        return results

    assert async_to_sync(scenario)() == [(False, CLOSE_FORBIDDEN)] * 4


def test_logging_out_closes_the_socket(live_demo):
    """The socket lives as long as the session it came with (chat's CredentialBoundSocket)."""
    ticket = make_ticket(live_demo.bob)
    cookie = session_cookie(live_demo.agent)
    browser = Client()
    name, key = cookie.decode().split("=", 1)
    browser.cookies[name] = key

    async def scenario():
        comm = socket(path(ticket), cookie)
        assert (await comm.connect())[0]
        await receive(comm, "hello")
        logout = await sync_to_async(browser.post)(reverse("accounts:logout"))
        assert logout.status_code == 302
        return await comm.receive_output(timeout=3)

    closed = async_to_sync(scenario)()
    assert closed == {"type": "websocket.close", "code": CLOSE_CREDENTIALS_ENDED}
