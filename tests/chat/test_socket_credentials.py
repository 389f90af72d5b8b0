"""A chat or console socket ends with the credentials it was opened with.

The attacker holds an open socket (a stolen session cookie, a shared computer, an embed
link); the owner logs out, resets their password, or is deactivated. The socket must
close (code 4401) within seconds and never write another frame, even when nobody told it
(a change made straight in the database). Sockets go through the whole ASGI application,
as in the other chat tests; the logout and the reset go through the real pages."""

from __future__ import annotations

import re
import time

from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from supportal.accounts import services as account_services
from supportal.accounts.models import Organization, User
from supportal.chat import services
from supportal.chat.access import issue_embed_token
from supportal.chat.socket_auth import CLOSE_CREDENTIALS_ENDED

from .conftest import put_online, receive_until, session_cookie, socket, start

NEW_PASSWORD = "violet tractor sings at dawn"
WITHIN_SECONDS = 3


def _browser(cookie: bytes) -> Client:
    """A browser holding the session the socket was opened with."""
    browser = Client()
    name, key = cookie.decode().split("=", 1)
    browser.cookies[name] = key
    return browser


async def _open(comm, first_frames_end_with: str = "state") -> None:
    """Connected, and past the frames a socket sends on connecting (a chat's replay and
    its state; a console's hello), so whatever comes next was sent after."""
    assert (await comm.connect())[0]
    await receive_until(comm, first_frames_end_with)


async def _closed_with(comm) -> int | None:
    """The close code the server sends next, skipping data frames; None if a data frame
    is all that comes. Any data frame after the credentials ended is a leak."""
    output = await comm.receive_output(timeout=WITHIN_SECONDS)
    return output.get("code") if output["type"] == "websocket.close" else None


def _active_chat(live_demo, customer: User):
    put_online(live_demo.agent)
    chat = start(customer)
    services.accept_chat(chat_id=chat.pk, agent=live_demo.agent)
    return chat


def test_logging_out_closes_the_sockets_of_that_session_only(live_demo):
    chat = _active_chat(live_demo, live_demo.bob)
    stolen, other_tab = session_cookie(live_demo.bob), session_cookie(live_demo.bob)
    agent = session_cookie(live_demo.agent)

    async def scenario():
        attacker = socket(f"/ws/chat/{chat.pk}/", stolen)
        elsewhere = socket(f"/ws/chat/{chat.pk}/", other_tab)
        staff = socket(f"/ws/chat/{chat.pk}/", agent)
        for comm in (attacker, elsewhere, staff):
            await _open(comm)
        logout = await sync_to_async(_browser(stolen).post)(reverse("accounts:logout"))
        assert logout.status_code == 302
        code = await _closed_with(attacker)
        await staff.send_json_to({"type": "message", "body": "Your card number is on file."})
        still_there = await receive_until(elsewhere, "message")
        for comm in (attacker, elsewhere, staff):
            await comm.disconnect()
        return code, still_there

    code, still_there = async_to_sync(scenario)()
    assert code == CLOSE_CREDENTIALS_ENDED
    assert still_there["body"] == "Your card number is on file."  # bob's other session


def test_a_password_reset_closes_every_socket_of_the_user_chat_and_console(live_demo, settings):
    # The sockets check in Django's one database thread, the thread the reset runs in.
    # With the chat's own pool, the check would run beside the reset's last write (its
    # session): on the test's in-memory SQLite (shared cache, where a table lock fails at
    # once instead of waiting out the busy timeout a database file has), that write
    # failed now and then in CI as a 400.
    settings.SUPPORTAL_CHAT_DB_THREADS = 0
    chat = _active_chat(live_demo, live_demo.bob)
    agent = session_cookie(live_demo.agent)

    def reset_agent_password() -> None:
        browser = Client()
        browser.post(reverse("accounts:password_reset"), {"email": live_demo.agent.email})
        body = mail.outbox[-1].body
        link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", body).group(1)
        form_url = browser.get(link).url
        done = browser.post(
            form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        assert done.status_code == 302

    async def scenario():
        chat_socket = socket(f"/ws/chat/{chat.pk}/", agent)
        console = socket("/ws/chat/console/", agent)
        await _open(chat_socket)
        await _open(console, "hello")
        await sync_to_async(reset_agent_password)()
        codes = [await _closed_with(chat_socket), await _closed_with(console)]
        for comm in (chat_socket, console):
            await comm.disconnect()
        return codes

    assert async_to_sync(scenario)() == [CLOSE_CREDENTIALS_ENDED] * 2


def test_a_socket_whose_user_was_deactivated_unannounced_writes_nothing_more(live_demo):
    """Deactivated straight in the database: no service, no message to the socket. The
    next frame it would send (the agent's answer) is not sent; the socket closes."""
    chat = _active_chat(live_demo, live_demo.bob)
    bob, agent = session_cookie(live_demo.bob), session_cookie(live_demo.agent)

    async def scenario():
        customer = socket(f"/ws/chat/{chat.pk}/", bob)
        staff = socket(f"/ws/chat/{chat.pk}/", agent)
        for comm in (customer, staff):
            await _open(comm)
        await sync_to_async(User.objects.filter(pk=live_demo.bob.pk).update)(is_active=False)
        await staff.send_json_to({"type": "message", "body": "Here is the admin password."})
        code = await _closed_with(customer)
        for comm in (customer, staff):
            await comm.disconnect()
        return code

    assert async_to_sync(scenario)() == CLOSE_CREDENTIALS_ENDED


def test_an_idle_socket_closes_by_itself_after_a_deactivation_nobody_announced(live_demo, settings):
    settings.SUPPORTAL_SOCKET_RECHECK_SECONDS = 1
    agent = session_cookie(live_demo.agent)

    async def scenario():
        console = socket("/ws/chat/console/", agent)
        await _open(console, "hello")
        await sync_to_async(User.objects.filter(pk=live_demo.agent.pk).update)(is_active=False)
        code = await _closed_with(console)
        await console.disconnect()
        return code

    assert async_to_sync(scenario)() == CLOSE_CREDENTIALS_ENDED


def test_deactivating_the_organization_closes_its_peoples_sockets_at_once(live_demo):
    chat = _active_chat(live_demo, live_demo.bob)
    bob = session_cookie(live_demo.bob)
    assert settings.SUPPORTAL_SOCKET_RECHECK_SECONDS >= 10  # the message did it, not the timer

    async def scenario():
        customer = socket(f"/ws/chat/{chat.pk}/", bob)
        await _open(customer)
        acme = await sync_to_async(Organization.objects.get)(pk=live_demo.bob.organization_id)
        await sync_to_async(account_services.deactivate_organization)(organization=acme)
        code = await _closed_with(customer)
        await customer.disconnect()
        return code

    assert async_to_sync(scenario)() == CLOSE_CREDENTIALS_ENDED


def test_an_embed_link_dies_with_the_password_it_was_issued_under(live_demo):
    chat = _active_chat(live_demo, live_demo.bob)
    link = issue_embed_token(live_demo.bob)

    def change_password() -> None:
        bob = User.objects.get(pk=live_demo.bob.pk)
        bob.set_password(NEW_PASSWORD)
        bob.save()
        account_services.end_credentials(user_ids=[bob.pk])

    async def scenario():
        widget = socket(f"/ws/chat/{chat.pk}/?token={link}")
        await _open(widget)
        await sync_to_async(change_password)()
        code = await _closed_with(widget)
        await widget.disconnect()
        again = socket(f"/ws/chat/{chat.pk}/?token={link}")
        reconnected, _ = await again.connect()
        await again.disconnect()
        return code, reconnected

    time.sleep(1.1)  # the link's timestamp has whole seconds: issued a second before
    code, reconnected = async_to_sync(scenario)()
    assert code == CLOSE_CREDENTIALS_ENDED
    assert not reconnected
