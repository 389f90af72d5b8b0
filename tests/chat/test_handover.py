"""Accept, transfer, convert to a ticket, and the agent who disconnects, over real sockets."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from supportal.chat import services
from supportal.chat.consumers import CLOSE_FORBIDDEN
from supportal.chat.models import Chat
from supportal.chat.queries import waiting_chats
from supportal.core.errors import RuleViolation
from supportal.tickets.models import Ticket

from .conftest import drain, put_online, receive_until, session_cookie, socket, start


def test_converting_tells_the_customer_the_ticket_number_and_ends_the_chat(live_demo):
    put_online(live_demo.agent)
    chat = start(live_demo.bob, "Can I import 2,000 products from a spreadsheet?")
    services.accept_chat(chat_id=chat.pk, agent=live_demo.agent)
    services.post_message(chat_id=chat.pk, author=live_demo.agent, body="Let me check that.")
    bob = session_cookie(live_demo.bob)

    async def scenario():
        customer = socket(f"/ws/chat/{chat.pk}/", bob)
        await customer.connect()
        await drain(customer)
        ticket = await sync_to_async(services.convert_to_ticket)(
            chat_id=chat.pk, actor=live_demo.agent
        )
        notice = await receive_until(customer, "message", role="system")
        state = await receive_until(customer, "state")
        await customer.disconnect()
        return ticket, notice, state

    ticket, notice, state = async_to_sync(scenario)()
    assert ticket.number in notice["body"]
    assert (state["status"], state["ticket_number"]) == ("converted", ticket.number)
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.channel == Ticket.Channel.CHAT
    assert (ticket.requester, ticket.product.slug, ticket.assignee) == (
        live_demo.bob,
        "pressero",
        live_demo.agent,
    )
    assert "Can I import 2,000 products from a spreadsheet?" in ticket.description
    assert "Avery Agent: Let me check that." in ticket.description
    chat.refresh_from_db()
    assert chat.status == Chat.Status.CONVERTED and chat.ticket == ticket
    with pytest.raises(RuleViolation):
        services.post_message(chat_id=chat.pk, author=live_demo.bob, body="still there?")


def test_transfer_moves_the_chat_to_the_other_agent_and_closes_the_old_socket(live_demo):
    put_online(live_demo.agent)
    put_online(live_demo.agent_es)
    chat = start(live_demo.bob)
    services.accept_chat(chat_id=chat.pk, agent=live_demo.agent)
    bob = session_cookie(live_demo.bob)
    avery = session_cookie(live_demo.agent)
    elena = session_cookie(live_demo.agent_es)

    async def scenario():
        customer = socket(f"/ws/chat/{chat.pk}/", bob)
        old = socket(f"/ws/chat/{chat.pk}/", avery)
        console = socket("/ws/chat/console/", elena)
        for comm in (customer, old, console):
            assert (await comm.connect())[0]
            await drain(comm)
        await sync_to_async(services.transfer_chat)(
            chat_id=chat.pk, actor=live_demo.agent, to_agent_id=live_demo.agent_es.pk
        )
        state = await receive_until(customer, "state")
        assigned = await receive_until(console, "assigned")
        closed = None
        while closed is None:
            output = await old.receive_output(timeout=3)
            if output["type"] == "websocket.close":
                closed = output["code"]
        new = socket(f"/ws/chat/{chat.pk}/", elena)
        joined = (await new.connect())[0]
        for comm in (customer, console, new):
            await comm.disconnect()
        return state, assigned, closed, joined

    state, assigned, closed, joined = async_to_sync(scenario)()
    assert (state["status"], state["agent"]) == ("active", "Elena Agente")
    assert assigned == {"type": "assigned", "chat_id": chat.pk}
    assert closed == CLOSE_FORBIDDEN
    assert joined
    assert Chat.objects.get(pk=chat.pk).agent == live_demo.agent_es


def test_customer_goes_back_to_waiting_when_the_agents_console_disconnects(live_demo, settings):
    settings.SUPPORTAL_CHAT_RECONNECT_GRACE_SECONDS = 0.2
    services.set_availability(agent=live_demo.agent, available=True)
    avery = session_cookie(live_demo.agent)
    bob = session_cookie(live_demo.bob)

    async def scenario():
        console = socket("/ws/chat/console/", avery)
        assert (await console.connect())[0]
        chat = await sync_to_async(start)(live_demo.bob)
        await sync_to_async(services.accept_chat)(chat_id=chat.pk, agent=live_demo.agent)
        customer = socket(f"/ws/chat/{chat.pk}/", bob)
        await customer.connect()
        await drain(customer)
        await console.disconnect()
        state = await receive_until(customer, "state")
        await customer.disconnect()
        return chat, state

    chat, state = async_to_sync(scenario)()
    assert (state["status"], state["agent"]) == ("waiting", None)
    chat.refresh_from_db()
    assert chat.status == Chat.Status.WAITING and chat.agent is None
    assert chat.messages.last().body == services.AGENT_GONE_NOTICE


def test_agent_reloading_the_console_within_the_grace_period_keeps_the_chat(live_demo, settings):
    settings.SUPPORTAL_CHAT_RECONNECT_GRACE_SECONDS = 0.3
    put_online(live_demo.agent)
    chat = start(live_demo.bob)
    services.accept_chat(chat_id=chat.pk, agent=live_demo.agent)
    services.console_closed(channel_name=f"test-console-{live_demo.agent.pk}")
    avery = session_cookie(live_demo.agent)

    async def scenario():
        first = socket("/ws/chat/console/", avery)
        await first.connect()
        await first.disconnect()
        second = socket("/ws/chat/console/", avery)
        await second.connect()
        await asyncio.sleep(0.6)
        await second.disconnect()

    async_to_sync(scenario)()
    assert Chat.objects.get(pk=chat.pk).status == Chat.Status.ACTIVE


def test_second_console_keeps_the_agent_chats_when_one_closes(live_demo):
    chat_agent = live_demo.agent
    put_online(chat_agent, "console-a")
    put_online(chat_agent, "console-b")
    chat = start(live_demo.bob)
    services.accept_chat(chat_id=chat.pk, agent=chat_agent)
    assert services.console_disconnected(agent=chat_agent, channel_name="console-a") == []
    assert Chat.objects.get(pk=chat.pk).status == Chat.Status.ACTIVE


def test_waiting_list_is_in_order_of_arrival_and_a_requeued_chat_keeps_its_place(live_demo):
    put_online(live_demo.agent)
    first = start(live_demo.bob, "first")
    second = start(live_demo.alice, "second")
    services.accept_chat(chat_id=first.pk, agent=live_demo.agent)
    assert list(waiting_chats()) == [second]
    services.console_disconnected(
        agent=live_demo.agent, channel_name=f"test-console-{live_demo.agent.pk}"
    )
    assert list(waiting_chats()) == [first, second]
