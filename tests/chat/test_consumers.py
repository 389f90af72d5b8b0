"""The chat socket: ordering, resume after reconnecting, joining only one's own chat."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer

from supportal.chat import broadcast, services
from supportal.chat.access import issue_embed_token
from supportal.chat.consumers import CLOSE_FORBIDDEN
from supportal.chat.models import ChatMessage

from .conftest import drain, put_online, receive_until, session_cookie, socket, start


def test_messages_arrive_in_sequence_order_on_both_sides(live_demo):
    put_online(live_demo.agent)
    chat = start(live_demo.bob)
    services.accept_chat(chat_id=chat.pk, agent=live_demo.agent)
    bob, agent = session_cookie(live_demo.bob), session_cookie(live_demo.agent)

    async def scenario():
        customer = socket(f"/ws/chat/{chat.pk}/", bob)
        staff = socket(f"/ws/chat/{chat.pk}/", agent)
        assert (await customer.connect())[0] and (await staff.connect())[0]
        await drain(customer)
        await drain(staff)
        for n in range(5):
            await customer.send_json_to({"type": "message", "body": f"customer {n}"})
            await staff.send_json_to({"type": "message", "body": f"agent {n}"})
        seen = {"customer": [], "agent": []}
        for side, comm in (("customer", customer), ("agent", staff)):
            while len(seen[side]) < 10:
                event = await receive_until(comm, "message")
                seen[side].append((event["seq"], event["body"]))
        await customer.disconnect()
        await staff.disconnect()
        return seen

    seen = async_to_sync(scenario)()
    stored = list(ChatMessage.objects.filter(chat=chat, seq__gt=2).values_list("seq", "body"))
    assert seen["customer"] == seen["agent"] == stored
    assert [seq for seq, _ in stored] == list(range(3, 13))


def test_reconnecting_client_resumes_after_its_last_seen_sequence(live_demo):
    put_online(live_demo.agent)
    chat = start(live_demo.bob)
    services.accept_chat(chat_id=chat.pk, agent=live_demo.agent)
    bob = session_cookie(live_demo.bob)

    async def scenario():
        first = socket(f"/ws/chat/{chat.pk}/", bob)
        assert (await first.connect())[0]
        replay = [e["seq"] for e in await drain(first) if e["type"] == "message"]
        await first.disconnect()
        # While the customer is away, the agent answers twice.
        for body in ("Under Settings > Shipping.", "Does that help?"):
            await sync_to_async(services.post_message)(
                chat_id=chat.pk, author=live_demo.agent, body=body
            )
        again = socket(f"/ws/chat/{chat.pk}/?after={replay[-1]}", bob)
        assert (await again.connect())[0]
        events = await drain(again)
        await again.disconnect()
        return replay, events

    replay, events = async_to_sync(scenario)()
    assert replay == [1, 2]  # the question and "Avery joined the chat."
    missed = [(e["seq"], e["body"]) for e in events if e["type"] == "message"]
    assert missed == [(3, "Under Settings > Shipping."), (4, "Does that help?")]
    assert events[-1]["type"] == "state" and events[-1]["status"] == "active"


def test_socket_cannot_join_another_customers_chat(live_demo):
    put_online(live_demo.agent)
    alice_chat = start(live_demo.alice, "Alice's private question")
    start(live_demo.bob)
    bob = session_cookie(live_demo.bob)
    carol = session_cookie(live_demo.carol)

    async def scenario():
        results = []
        for cookie in (bob, carol, None):
            comm = socket(f"/ws/chat/{alice_chat.pk}/", cookie)
            connected, code = await comm.connect()
            results.append((connected, code))
            await comm.disconnect()
        return results

    assert async_to_sync(scenario)() == [(False, CLOSE_FORBIDDEN)] * 3


def test_agent_cannot_join_a_chat_assigned_to_someone_else(live_demo):
    put_online(live_demo.agent)
    put_online(live_demo.agent_es)
    chat = start(live_demo.bob)
    services.accept_chat(chat_id=chat.pk, agent=live_demo.agent)
    elena = session_cookie(live_demo.agent_es)

    async def scenario():
        comm = socket(f"/ws/chat/{chat.pk}/", elena)
        connected, code = await comm.connect()
        await comm.disconnect()
        return connected, code

    assert async_to_sync(scenario)() == (False, CLOSE_FORBIDDEN)


def test_socket_from_a_foreign_origin_is_refused(live_demo):
    chat = start_after_online(live_demo)
    bob = session_cookie(live_demo.bob)

    async def scenario():
        comm = socket(f"/ws/chat/{chat.pk}/", bob, origin=b"https://evil.example")
        connected, _ = await comm.connect()
        await comm.disconnect()
        return connected

    assert async_to_sync(scenario)() is False


def start_after_online(demo):
    put_online(demo.agent)
    return start(demo.bob)


def test_typing_indicator_reaches_the_other_side_only(live_demo):
    chat = start_after_online(live_demo)
    services.accept_chat(chat_id=chat.pk, agent=live_demo.agent)
    bob, agent = session_cookie(live_demo.bob), session_cookie(live_demo.agent)

    async def scenario():
        customer = socket(f"/ws/chat/{chat.pk}/", bob)
        staff = socket(f"/ws/chat/{chat.pk}/", agent)
        await customer.connect()
        await staff.connect()
        await drain(customer)
        await drain(staff)
        await customer.send_json_to({"type": "typing"})
        event = await receive_until(staff, "typing")
        own = await drain(customer)
        await customer.disconnect()
        await staff.disconnect()
        return event, own

    event, own = async_to_sync(scenario)()
    assert event == {"type": "typing", "role": "customer", "author": "Bob Buyer"}
    assert own == []


def test_messages_past_the_rate_limit_are_refused_and_not_stored(live_demo, settings):
    settings.SUPPORTAL_CHAT_RATE_MESSAGES = 3
    settings.SUPPORTAL_CHAT_RATE_SECONDS = 60
    chat = start_after_online(live_demo)
    bob = session_cookie(live_demo.bob)

    async def scenario():
        comm = socket(f"/ws/chat/{chat.pk}/", bob)
        await comm.connect()
        await drain(comm)
        for n in range(5):
            await comm.send_json_to({"type": "message", "body": f"spam {n}"})
        errors = []
        for _ in range(2):
            errors.append(await receive_until(comm, "error"))
        await comm.disconnect()
        return errors

    errors = async_to_sync(scenario)()
    assert {e["code"] for e in errors} == {"rate_limited"}
    bodies = list(ChatMessage.objects.filter(chat=chat).values_list("body", flat=True))
    assert bodies[1:] == ["spam 0", "spam 1", "spam 2"]


def test_message_body_is_stored_and_sent_as_plain_text(live_demo):
    chat = start_after_online(live_demo)
    bob = session_cookie(live_demo.bob)
    script = "<script>alert(1)</script>"

    async def scenario():
        comm = socket(f"/ws/chat/{chat.pk}/", bob)
        await comm.connect()
        await drain(comm)
        await comm.send_json_to({"type": "message", "body": script})
        event = await receive_until(comm, "message")
        await comm.disconnect()
        return event

    assert async_to_sync(scenario)()["body"] == script
    assert ChatMessage.objects.filter(chat=chat, body=script).exists()


def test_embedded_widget_joins_with_its_signed_token_and_a_forged_one_is_refused(live_demo):
    chat = start_after_online(live_demo)
    token = issue_embed_token(live_demo.bob)
    other = issue_embed_token(live_demo.alice)

    async def scenario():
        results = []
        for candidate in (token, token[:-2] + "xx", other):
            comm = socket(f"/ws/chat/{chat.pk}/?token={candidate}")
            results.append((await comm.connect())[0])
            await comm.disconnect()
        return results

    assert async_to_sync(scenario)() == [True, False, False]


def test_a_broadcast_that_skips_ahead_brings_the_missing_message_first_and_none_twice(
    live_demo,
):
    """Broadcasts of two writers (threads, processes) can overtake each other on the way."""
    put_online(live_demo.agent)
    chat = start(live_demo.bob)
    services.accept_chat(chat_id=chat.pk, agent=live_demo.agent)
    bob = session_cookie(live_demo.bob)

    def write_without_sending():
        with broadcast.collecting() as events:
            for body in ("first", "second"):
                services.post_message(chat_id=chat.pk, author=live_demo.agent, body=body)
        return events

    async def scenario():
        comm = socket(f"/ws/chat/{chat.pk}/", bob)
        assert (await comm.connect())[0]
        await drain(comm)
        first, second = await sync_to_async(write_without_sending)()
        layer = get_channel_layer()
        await layer.group_send(*second)  # the later message's broadcast arrives first
        got = [await receive_until(comm, "message"), await receive_until(comm, "message")]
        await layer.group_send(*first)  # and the earlier one's after it
        await layer.group_send(*second)  # (or twice)
        late = await drain(comm)
        await comm.disconnect()
        return got, late

    got, late = async_to_sync(scenario)()
    assert [(e["seq"], e["body"]) for e in got] == [(3, "first"), (4, "second")]
    assert [e for e in late if e["type"] == "message"] == []


def test_a_message_meeting_a_dropped_database_connection_is_refused_and_the_socket_lives_on(
    live_demo,
):
    """A database restart cuts the chat threads' connections: the message that meets it gets
    an error to send again (nothing half-written), the socket stays, the next one is saved."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("terminating a server connection needs PostgreSQL")
    put_online(live_demo.agent)
    chat = start(live_demo.bob)
    services.accept_chat(chat_id=chat.pk, agent=live_demo.agent)
    bob = session_cookie(live_demo.bob)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        own_pid = cursor.fetchone()[0]

    def terminate_other_connections() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> %s",
                [own_pid],
            )

    async def scenario():
        customer = socket(f"/ws/chat/{chat.pk}/", bob)
        assert (await customer.connect())[0]
        await drain(customer)
        await customer.send_json_to({"type": "message", "body": "before the restart"})
        await receive_until(customer, "message", body="before the restart")
        await sync_to_async(terminate_other_connections)()
        answers = []
        for attempt in range(5):  # each chat thread meets its dead connection once
            await customer.send_json_to({"type": "message", "body": f"after {attempt}"})
            event = await customer.receive_json_from(timeout=10)
            while event["type"] not in {"message", "error"}:
                event = await customer.receive_json_from(timeout=10)
            answers.append((f"after {attempt}", event))
            if event["type"] == "message":
                break
        await customer.disconnect()
        return answers

    answers = async_to_sync(scenario)()
    sent, last = answers[-1]
    assert last["type"] == "message" and last["body"] == sent, answers
    refused = [body for body, event in answers if event["type"] == "error"]
    assert all(event["code"] == "unavailable" for _, event in answers[:-1])
    bodies = list(ChatMessage.objects.filter(chat=chat).values_list("body", flat=True))
    assert "before the restart" in bodies and sent in bodies
    assert not set(refused) & set(bodies)  # a refused message was not stored
    seqs = list(ChatMessage.objects.filter(chat=chat).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
