"""A customer and an agent chat in two browser pages, through a real uvicorn process
(pytest-django's live server speaks no WebSocket)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chat.servers import demo_data_dir, run_python, uvicorn

from .conftest import CHROMIUM, CHROMIUM_ARGS
from .logins import logged_in_page

pytestmark = pytest.mark.browser

# Acme's support region is open around the clock here, so the test does not depend on
# the hour or the holidays of the day it runs.
ALWAYS_OPEN = """
from datetime import time
from supportal.accounts.models import Organization, SupportRegion
from supportal.sla.models import WorkingHours

region = SupportRegion.objects.create(code="always", name="Always open", timezone="UTC")
for day in range(7):
    WorkingHours.objects.create(region=region, weekday=day, opens=time(0), closes=time(23, 59, 59))
Organization.objects.filter(slug="acme-print").update(support_region=region)
"""


@pytest.fixture
def server(tmp_path_factory, tmp_path: Path) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    data_dir = demo_data_dir(tmp_path_factory)
    run_python(ALWAYS_OPEN, data_dir)
    with uvicorn(data_dir, tmp_path / "uvicorn.log", SESSION_COOKIE_SECURE="0") as base:
        yield base


def test_customer_and_agent_chat_and_the_agent_converts_it_to_a_ticket(server: str):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        errors: list[str] = []

        def page_for(email: str):
            return logged_in_page(browser, server, email, errors)

        try:
            agent = page_for("agent@vendor.test")
            agent.get_by_role("link", name="Chat console").click()
            agent.get_by_role("button", name="Take chats").click()
            expect(agent.locator("[data-availability]")).to_have_text("Available for chats")
            expect(agent.locator("[data-chat-console][data-connected]")).to_have_count(1)

            customer = page_for("bob@acmeprint.test")
            customer.goto(f"{server}/tickets/")
            customer.get_by_role("link", name="Chat with support").click()
            customer.fill("textarea[name=question]", "Where do I set up shipping methods?")
            customer.get_by_role("button", name="Start chat").click()
            expect(customer.locator("[data-chat][data-connected]")).to_have_count(1)

            # The waiting list updates live on the console; the agent accepts.
            waiting = agent.locator("[data-chat-waiting]")
            expect(waiting).to_contain_text("Where do I set up shipping methods?")
            waiting.get_by_role("button", name="Accept").click()
            pane = agent.locator("[data-chat-pane]")
            expect(pane).to_contain_text("Acme Print")
            expect(pane.locator("[data-chat-timer]")).to_contain_text("left")
            expect(pane.locator("[data-chat][data-connected]")).to_have_count(1)
            expect(customer.locator("[data-chat-state]")).to_contain_text("Avery Agent")

            customer.fill("[data-chat-input]", "Hello <b>there</b>")
            expect(pane.locator("[data-chat-typing]")).to_contain_text("is typing")
            customer.keyboard.press("Enter")
            expect(pane.locator("[data-chat-log]")).to_contain_text("Hello <b>there</b>")

            pane.locator("[data-chat-input]").fill("Sites > Settings > Shipping.")
            pane.get_by_role("button", name="Send").click()
            expect(customer.locator("[data-chat-log]")).to_contain_text(
                "Sites > Settings > Shipping."
            )

            pane.get_by_role("button", name="Convert to ticket").click()
            ticket = customer.locator("[data-chat-ticket]")
            expect(ticket).to_have_text(re.compile(r"^SUP-\d+$"))
            expect(customer.locator("[data-chat-input]")).to_be_disabled()
            expect(customer.locator("[data-chat-log]")).to_contain_text("continues as ticket")
        finally:
            browser.close()
    assert not errors, errors
