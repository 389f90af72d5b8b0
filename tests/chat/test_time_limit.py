"""The 15-minute chat limit, enforced by the server: a clock stored when an agent accepts,
a warning at 12 minutes, the hand-over to a ticket (transcript attached) at 15, unless the
agent extended the chat with a reason (audited)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from asgiref.sync import async_to_sync
from django.test import Client
from django.utils import timezone

from supportal.chat import broadcast, services, time_limit
from supportal.chat.models import Chat, ChatExtension, ChatMessage
from supportal.core.errors import InvalidInput, NotPermitted
from supportal.tickets.models import Attachment, Ticket

from .conftest import OPEN_HOURS, drain, put_online, receive_until, session_cookie, socket, start


@pytest.fixture
def accepted(demo):
    """Bob's chat, accepted by the agent at OPEN_HOURS (time stands still)."""
    with time_machine.travel(OPEN_HOURS, tick=False) as traveller:
        put_online(demo.agent)
        chat = start(demo.bob, "Where do I set up shipping methods?")
        services.accept_chat(chat_id=chat.pk, agent=demo.agent)
        services.post_message(chat_id=chat.pk, author=demo.agent, body="Sites > Shipping.")
        yield Chat.objects.get(pk=chat.pk), traveller


def system_bodies(chat: Chat) -> list[str]:
    return list(
        ChatMessage.objects.filter(chat=chat, kind=ChatMessage.Kind.SYSTEM)
        .order_by("seq")
        .values_list("body", flat=True)
    )


def test_accepting_stores_the_start_and_a_limit_fifteen_minutes_later(accepted):
    chat, _ = accepted
    assert chat.started_at == OPEN_HOURS
    assert chat.deadline_at == OPEN_HOURS + timedelta(minutes=15)
    assert chat.warning_at() == OPEN_HOURS + timedelta(minutes=12)


def test_the_state_both_sides_receive_carries_the_servers_limit(accepted):
    chat, _ = accepted
    state = broadcast.state_payload(Chat.objects.select_related("agent", "ticket").get(pk=chat.pk))
    at = datetime.fromisoformat
    assert at(state["started_at"]) == OPEN_HOURS
    assert at(state["limit_at"]) == OPEN_HOURS + timedelta(minutes=15)
    assert at(state["warning_at"]) == OPEN_HOURS + timedelta(minutes=12)
    assert at(state["server_now"]) == OPEN_HOURS


def test_both_sides_are_warned_once_at_twelve_minutes(accepted):
    chat, traveller = accepted
    traveller.shift(timedelta(minutes=11, seconds=59))
    assert time_limit.enforce_chat_limits() == {"warned": [], "handed_over": []}
    traveller.shift(timedelta(seconds=1))
    assert time_limit.enforce_chat_limits() == {"warned": [chat.pk], "handed_over": []}
    assert time_limit.enforce_chat_limits() == {"warned": [], "handed_over": []}
    warnings = [body for body in system_bodies(chat) if "left" in body]
    assert warnings == [
        "3 minutes left: live chat is for questions answered within 15 minutes. At the "
        "limit this conversation continues as a ticket."
    ]


def test_at_fifteen_minutes_the_chat_becomes_a_ticket_with_the_transcript_attached(accepted):
    chat, traveller = accepted
    traveller.shift(timedelta(minutes=14, seconds=59))
    assert time_limit.enforce_chat_limits()["handed_over"] == []
    traveller.shift(timedelta(seconds=1))
    assert time_limit.enforce_chat_limits()["handed_over"] == [chat.pk]
    assert time_limit.enforce_chat_limits()["handed_over"] == []  # idempotent

    chat.refresh_from_db()
    ticket = Ticket.objects.get()
    assert chat.status == Chat.Status.CONVERTED and chat.ticket == ticket
    assert chat.ended_at == OPEN_HOURS + timedelta(minutes=15)
    assert (ticket.requester_id, ticket.assignee_id, ticket.channel) == (
        chat.customer_id,
        chat.agent_id,
        Ticket.Channel.CHAT,
    )
    assert "Avery Agent: Sites > Shipping." in ticket.description
    attachment = Attachment.objects.get(ticket=ticket)
    assert attachment.original_name == f"chat-{chat.pk}-transcript.txt"
    assert attachment.content_type == "text/plain"
    with attachment.file.open("rb") as stored:
        assert b"Bob Buyer: Where do I set up shipping methods?" in stored.read()
    assert f"continues as ticket {ticket.number}" in system_bodies(chat)[-1]


def test_an_extension_with_a_reason_is_audited_and_moves_the_limit(accepted, demo):
    chat, traveller = accepted
    traveller.shift(timedelta(minutes=14))
    extension = time_limit.extend_chat(
        chat_id=chat.pk, actor=demo.agent, reason="  Walking them through the last step  "
    )
    row = ChatExtension.objects.get()
    assert row == extension
    assert (row.agent, row.minutes, row.reason) == (
        demo.agent,
        10,
        "Walking them through the last step",
    )
    assert row.deadline_before == OPEN_HOURS + timedelta(minutes=15)
    assert row.deadline_after == OPEN_HOURS + timedelta(minutes=25)
    assert "Avery Agent extended this chat by 10 minutes." in system_bodies(chat)
    assert "Walking them" not in " ".join(system_bodies(chat))  # the reason stays with staff

    traveller.shift(timedelta(minutes=1))  # 15 minutes: extended, so no hand-over
    assert time_limit.enforce_chat_limits()["handed_over"] == []
    traveller.shift(timedelta(minutes=7))  # 22: warned again, 3 minutes before the new limit
    assert time_limit.enforce_chat_limits()["warned"] == [chat.pk]
    traveller.shift(timedelta(minutes=3))  # 25
    assert time_limit.enforce_chat_limits()["handed_over"] == [chat.pk]


def test_an_extension_needs_a_reason(accepted, demo):
    chat, _ = accepted
    with pytest.raises(InvalidInput):
        time_limit.extend_chat(chat_id=chat.pk, actor=demo.agent, reason="   ")
    assert not ChatExtension.objects.exists()


def test_only_the_chats_agent_extends_it(accepted, demo):
    chat, _ = accepted
    for someone in (demo.bob, demo.agent_es):
        with pytest.raises(NotPermitted):
            time_limit.extend_chat(chat_id=chat.pk, actor=someone, reason="more time")
    assert not ChatExtension.objects.exists()


def test_the_limit_is_a_setting(demo, settings):
    settings.SUPPORTAL_CHAT_LIMIT_MINUTES = 30
    settings.SUPPORTAL_CHAT_WARNING_MINUTES = 25
    with time_machine.travel(OPEN_HOURS, tick=False):
        put_online(demo.agent)
        chat = start(demo.bob)
        services.accept_chat(chat_id=chat.pk, agent=demo.agent)
    chat.refresh_from_db()
    assert chat.deadline_at == OPEN_HOURS + timedelta(minutes=30)
    assert chat.warning_at() == OPEN_HOURS + timedelta(minutes=25)


def test_a_chat_back_in_the_waiting_list_keeps_its_clock(accepted, demo):
    chat, traveller = accepted
    traveller.shift(timedelta(minutes=5))
    services.return_to_waiting(chat_id=chat.pk, notice="Your agent was disconnected.")
    put_online(demo.agent_es)
    services.accept_chat(chat_id=chat.pk, agent=demo.agent_es)
    chat.refresh_from_db()
    assert chat.started_at == OPEN_HOURS
    assert chat.deadline_at == OPEN_HOURS + timedelta(minutes=15)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_extend_button_is_the_agents_and_refuses_customers(accepted, demo):
    chat, _ = accepted
    url = f"/chat/{chat.pk}/extend/"
    assert client_for(demo.bob).post(url, {"reason": "please"}).status_code == 404
    response = client_for(demo.agent).post(url, {"reason": "Almost done"})
    assert response.status_code == 302
    assert ChatExtension.objects.get().reason == "Almost done"


def test_the_servers_sockets_hand_the_chat_over_at_the_limit(live_demo):
    """The web process enforces the limit at the second it falls due for chats someone is
    connected to, and both sides see it live."""
    put_online(live_demo.agent)
    chat = start(live_demo.bob)
    services.accept_chat(chat_id=chat.pk, agent=live_demo.agent)
    # One second left, so already inside the warning time.
    Chat.objects.filter(pk=chat.pk).update(deadline_at=timezone.now() + timedelta(seconds=1))
    last_seq = Chat.objects.get(pk=chat.pk).last_seq
    bob = session_cookie(live_demo.bob)

    async def scenario():
        customer = socket(f"/ws/chat/{chat.pk}/?after={last_seq}", bob)
        await customer.connect()
        await receive_until(customer, "state", status="active")
        warning = await receive_until(customer, "message", role="system")
        converted = await receive_until(customer, "state", status="converted")
        await drain(customer)
        await customer.disconnect()
        return warning, converted

    warning, converted = async_to_sync(scenario)()
    assert "left" in warning["body"]
    ticket = Ticket.objects.get()
    assert converted["ticket_number"] == ticket.number
