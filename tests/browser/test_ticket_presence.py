"""Two agents open the same ticket in two browsers: each sees the other viewing, then
typing; the one who answers second is warned that the other's reply crossed theirs.
Through a real uvicorn process (pytest-django's live server speaks no WebSocket)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chat.servers import demo_data_dir, run_python, uvicorn

from .conftest import CHROMIUM, CHROMIUM_ARGS
from .logins import logged_in_page

pytestmark = pytest.mark.browser

A_TICKET = """
from supportal.accounts.models import User
from supportal.tickets import services

bob = User.objects.get(email="bob@acmeprint.test")
draft = services.TicketDraft(
    product="pressero", kind="question", subject="Shipping rates by weight",
    description="Can shipping cost depend on the order's weight?",
)
print(services.open_ticket(requester=bob, draft=draft).pk)
"""


@pytest.fixture
def server(tmp_path_factory, tmp_path: Path) -> Iterator[tuple[str, int]]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    data_dir = demo_data_dir(tmp_path_factory)
    ticket_id = int(run_python(A_TICKET, data_dir).strip())
    with uvicorn(data_dir, tmp_path / "uvicorn.log", SESSION_COOKIE_SECURE="0") as base:
        yield base, ticket_id


def test_agent_sees_a_colleague_on_the_same_ticket_and_a_crossing_reply_warns(server):
    from playwright.sync_api import expect, sync_playwright

    base, ticket_id = server
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        errors: list[str] = []
        try:
            avery = logged_in_page(browser, base, "agent@vendor.test", errors)
            avery.goto(f"{base}/tickets/{ticket_id}/")
            panel = avery.get_by_test_id("presence")
            expect(panel).to_have_attribute("data-connected", "")
            expect(panel).to_contain_text("Nobody else is looking at this ticket.")

            elena = logged_in_page(browser, base, "agent.es@vendor.test", errors)
            elena.goto(f"{base}/tickets/{ticket_id}/")
            expect(panel).to_contain_text("Elena Agente is viewing")
            # Elena reads Spanish (her region's language), the script's strings too.
            expect(elena.get_by_test_id("presence")).to_contain_text("Avery Agent está viendo")

            avery.get_by_label("Your reply").fill("Yes: under Shipping > Rates, choose")
            expect(elena.get_by_test_id("presence")).to_contain_text("Avery Agent está escribiendo")

            elena.get_by_label("Su respuesta").fill("Yes, by weight bands. See the guide.")
            elena.get_by_role("button", name="Enviar respuesta").click()
            expect(elena.locator("#conversation")).to_contain_text("by weight bands")

            avery.get_by_role("button", name="Send reply").click()
            alert = avery.get_by_role("alert")
            expect(alert).to_contain_text("Elena Agente replied while you were writing")
            expect(avery.locator("#conversation")).to_contain_text("by weight bands")
            expect(avery.get_by_label("Your reply")).to_have_value(
                "Yes: under Shipping > Rates, choose"
            )
            avery.get_by_role("button", name="Send reply").click()
            expect(avery.locator("#conversation .reply")).to_have_count(2)
            expect(avery.get_by_role("alert")).to_have_count(0)

            elena.close()
            expect(panel).to_contain_text("Nobody else is looking at this ticket.")
        finally:
            browser.close()
    assert not errors, errors
