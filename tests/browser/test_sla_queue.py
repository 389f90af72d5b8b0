"""An agent opens the queue: the urgent ticket is on top and each ticket shows its clock."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from .conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium", allow_module_level=True)
pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

from playwright.sync_api import expect  # noqa: E402

from tests.factories import make_ticket  # noqa: E402

TUESDAY_10AM = datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("America/Chicago"))


def test_agent_sees_urgent_ticket_on_top_with_its_due_time(personas, log_in):
    with time_machine.travel(TUESDAY_10AM, tick=True):
        make_ticket(personas.bob, subject="Older question about invoices")
        urgent = make_ticket(
            personas.alice,
            subject="Storefront checkout is down",
            urgent=True,
            urgent_impact="No orders since 9:00",
        )
        agent = log_in("agent@vendor.test")
        agent.goto("/tickets/queue/")
        rows = agent.page.locator("table.queue-table tbody tr")
        expect(rows.first).to_contain_text(urgent.number)
        expect(rows.first).to_contain_text("Urgent")
        expect(rows.first.locator(".sla--ok")).to_contain_text("left")
        expect(rows.nth(1)).to_contain_text("Older question about invoices")

        agent.goto(urgent.get_absolute_url())
        expect(agent.page.locator(".sla").first).to_contain_text("due Tue Nov 24, 14:00 CST")
        expect(agent.page.get_by_text("No orders since 9:00")).to_be_visible()
    assert agent.errors_besides_sockets() == []
