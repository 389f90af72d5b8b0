"""A customer files a ticket with a screenshot, an agent answers, the customer reads it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from supportal.tickets.models import Ticket

from .conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium", allow_module_level=True)
pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

from playwright.sync_api import expect  # noqa: E402

REPLY = "Open Settings > Shipping and add a next-day method; it shows at checkout at once."


def _screenshot_png(tmp_path: Path) -> Path:
    path = tmp_path / "checkout-error.png"
    Image.new("RGB", (320, 200), (200, 40, 40)).save(path, format="PNG")
    return path


def test_customer_files_ticket_with_screenshot_and_reads_the_agents_reply(log_in, tmp_path):
    bob = log_in("bob@acmeprint.test")
    bob.goto("/tickets/new/")
    page = bob.page
    page.select_option("select[name=product]", "pressero")
    page.select_option("select[name=kind]", "question")
    page.fill("input[name=subject]", "How do I add next-day shipping?")
    page.fill("textarea[name=description]", "We want to offer next-day delivery in our store.")
    page.set_input_files("input[name=attachments]", str(_screenshot_png(tmp_path)))
    page.get_by_role("button", name="Submit ticket").click()

    expect(page.locator("h1")).to_contain_text("SUP-")
    ticket = Ticket.objects.get(subject="How do I add next-day shipping?")
    assert ticket.requester.email == "bob@acmeprint.test"
    assert [a.original_name for a in ticket.attachments.all()] == ["checkout-error.png"]
    expect(page.locator("h1")).to_contain_text(ticket.number)
    ticket_url = page.url

    agent = log_in("agent@vendor.test")
    agent.goto(ticket_url)
    expect(agent.page.locator("h1")).to_contain_text(ticket.number)
    agent.page.fill("textarea[name=body]", REPLY)
    agent.page.get_by_role("button", name="Send reply").click()
    expect(agent.page.get_by_text(REPLY)).to_be_visible()

    page.reload()
    expect(page.get_by_text(REPLY)).to_be_visible()
    screenshot = tmp_path / "bob-ticket-with-reply.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 0
    csp = [e for e in bob.console_errors + agent.console_errors if "Content Security" in e]
    assert csp == []
