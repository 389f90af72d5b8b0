"""A tour of the chat's time limit in two browser pages, through a real uvicorn process:
both sides see the countdown from the server's start time, the warning, the agent's
extension (with a reason, audited) and, at the limit, the hand-over to a ticket."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chat.servers import demo_data_dir, run_python, uvicorn

from .conftest import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS
from .logins import logged_in_page
from .test_chat import ALWAYS_OPEN

pytestmark = pytest.mark.browser

# Moves the chat's limit to a few seconds from now, as if it had been running for almost
# fifteen minutes (the pages then reload and read it from the server).
LIMIT_IN = """
from datetime import timedelta
from django.utils import timezone
from supportal.chat.models import Chat
chat = Chat.objects.get()
Chat.objects.filter(pk=chat.pk).update(
    deadline_at=timezone.now() + timedelta(seconds={seconds}), warned_at=None
)
"""
AUDIT = """
import json
from supportal.chat.models import ChatExtension
from supportal.tickets.models import Attachment, Ticket
extensions = list(ChatExtension.objects.values_list("agent__email", "minutes", "reason"))
attachments = list(Attachment.objects.values_list("ticket__number", "original_name"))
print(json.dumps({"extensions": extensions, "attachments": attachments}))
"""


@pytest.fixture
def server(tmp_path_factory, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    data_dir = demo_data_dir(tmp_path_factory)
    run_python(ALWAYS_OPEN, data_dir)
    log = tmp_path / "uvicorn.log"
    with uvicorn(data_dir, log, SESSION_COOKIE_SECURE="0", LOG_LEVEL="INFO") as base:
        yield base, data_dir
    print(log.read_text())  # shown when the test fails


def seconds_left(timer) -> int:
    return int(timer.get_attribute("data-seconds-left"))


def test_both_sides_count_down_see_the_warning_the_extension_and_the_hand_over(server):
    from playwright.sync_api import expect, sync_playwright

    base, data_dir = server
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        errors: list[str] = []

        def page_for(email: str):
            return logged_in_page(browser, base, email, errors)

        expect.set_options(timeout=TIMEOUT_MS)
        try:
            agent = page_for("agent@vendor.test")
            agent.goto(f"{base}/chat/console/")
            agent.get_by_role("button", name="Take chats").click()
            expect(agent.locator("[data-chat-console][data-connected]")).to_have_count(1)

            customer = page_for("bob@acmeprint.test")
            customer.goto(f"{base}/chat/")
            customer.fill("textarea[name=question]", "How do I add a shipping method?")
            customer.get_by_role("button", name="Start chat").click()
            expect(customer.locator("[data-chat][data-connected]")).to_have_count(1)
            customer_timer = customer.locator("[data-chat-timer]")
            expect(customer_timer).to_be_hidden()  # no clock until an agent accepts

            agent.locator("[data-chat-waiting]").get_by_role("button", name="Accept").click()
            pane = agent.locator("[data-chat-pane]")
            agent_timer = pane.locator("[data-chat-timer]")
            # Both sides count down the same fifteen minutes, from the server's clock.
            expect(agent_timer).to_have_text(re.compile(r"^Time left: 1[45]:\d\d$"))
            expect(customer_timer).to_have_text(re.compile(r"^Time left: 1[45]:\d\d$"))
            assert 14 * 60 < seconds_left(customer_timer) <= 15 * 60
            assert abs(seconds_left(customer_timer) - seconds_left(agent_timer)) <= 2

            # Near the limit: both pages read the new limit from the server and are warned.
            run_python(LIMIT_IN.format(seconds=120), data_dir)
            agent.reload()
            customer.reload()
            for page in (agent, customer):
                expect(page.locator("[data-chat-log]")).to_contain_text("minutes left")
                timer = page.locator("[data-chat-timer]")
                expect(timer).to_have_class(re.compile("chat-timer--warning"))
                assert 100 < seconds_left(timer) <= 120

            # The agent extends, saying why: the customer sees it live, not the reason.
            pane = agent.locator("[data-chat-pane]")
            pane.get_by_label(re.compile("Reason to extend")).fill("Walking through the last step")
            pane.get_by_role("button", name="Extend").click()
            expect(customer.locator("[data-chat-log]")).to_contain_text(
                "extended this chat by 10 minutes"
            )
            expect(customer_timer).to_have_text(re.compile(r"^Time left: 1[12]:\d\d$"))
            expect(customer_timer).not_to_have_class(re.compile("chat-timer--warning"))
            expect(customer.locator("[data-chat-log]")).not_to_contain_text("Walking through")

            # At the limit the server hands the chat over to a ticket, on both sides.
            run_python(LIMIT_IN.format(seconds=4), data_dir)
            agent.reload()
            customer.reload()
            ticket = customer.locator("[data-chat-ticket]")
            expect(ticket).to_have_text(re.compile(r"^SUP-\d+$"))
            expect(customer.locator("[data-chat-log]")).to_contain_text(
                "The time for a chat question is up"
            )
            expect(customer.locator("[data-chat-input]")).to_be_disabled()
            expect(customer_timer).to_be_hidden()
            number = ticket.inner_text()
            expect(agent.locator("[data-chat-pane]")).to_have_count(0)
        finally:
            browser.close()
    audit = json.loads(run_python(AUDIT, data_dir))
    assert audit["extensions"] == [["agent@vendor.test", 10, "Walking through the last step"]]
    assert audit["attachments"] == [[number, "chat-1-transcript.txt"]]
    assert not errors, errors
