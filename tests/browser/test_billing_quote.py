"""A customer accepts a quote in the portal and sees the charge on the month's statement."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from supportal.billing import notices, timelog
from tests.factories import make_ticket

pytestmark = pytest.mark.browser


def test_customer_accepts_a_quote_and_sees_the_charge_on_the_statement(personas, log_in):
    ticket = make_ticket(
        personas.alice,
        kind="professional_services",
        subject="Holiday store setup",
        description="Please set up our holiday store.",
    )
    notices.send_quote(
        ticket=ticket,
        actor=personas.ps,
        message="Store setup as discussed.",
        lines=[notices.LineDraft("ps_technical", 300, "Store setup and custom skin")],
    )

    alice = log_in(personas.alice.email)
    alice.goto(ticket.get_absolute_url())
    page = alice.page
    expect(page.get_by_text("This request is")).to_be_visible()
    expect(page.locator(".billing-notice__text")).to_contain_text("5.00 h at $150.00/h")
    page.get_by_role("button", name="Accept estimate").click()
    expect(page.get_by_text("the estimate is accepted")).to_be_visible()

    # The professional-services team does the work (3 h covered by the plan, 2 h charged).
    timelog.log_time(
        ticket=ticket,
        actor=personas.ps,
        minutes=300,
        category="ps_technical",
        note="Holiday store set up",
    )

    page.get_by_role("link", name="Billing").click()
    page.locator(".billing-months a").first.click()
    expect(page).to_have_url(re.compile(r"/billing/organizations/\d+/statements/\d{4}-\d{2}/$"))
    row = page.locator("tr.billing-line--charge", has_text=ticket.number)
    expect(row).to_contain_text("$300.00")
    expect(page.locator(".billing-total")).to_have_text("$300.00")
    assert not alice.console_errors
