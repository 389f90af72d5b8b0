"""A customer's reply to a closed ticket opens a linked follow-up; the old one stays closed."""

from __future__ import annotations

import re

import pytest

from supportal.tickets.models import Ticket
from supportal.tickets.services import change_status

from .conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium", allow_module_level=True)
pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

from playwright.sync_api import expect  # noqa: E402

from tests.factories import make_ticket  # noqa: E402


def test_reply_to_closed_ticket_lands_on_a_follow_up_that_names_the_old_ticket(log_in, personas):
    closed = make_ticket(
        personas.bob,
        subject="Change the order confirmation email",
        description="Where can we edit the text of the order confirmation email?",
    )
    change_status(ticket=closed, actor=personas.agent, status=Ticket.Status.CLOSED)

    bob = log_in("bob@acmeprint.test")
    bob.goto(closed.get_absolute_url())
    page = bob.page
    expect(page.locator("h1")).to_contain_text(closed.number)
    page.fill("textarea[name=body]", "And the shipping confirmation email, where is that?")
    page.get_by_role("button", name="Send reply").click()

    expect(page).not_to_have_url(re.compile(rf"/tickets/{closed.pk}/$"))
    follow_up = Ticket.objects.get(follow_up_of=closed)
    expect(page.locator("h1")).to_contain_text(follow_up.number)
    expect(page.locator("main")).to_contain_text(
        re.compile(rf"Follow-up (of|to) {re.escape(closed.number)}")
    )
    closed.refresh_from_db()
    assert closed.status == Ticket.Status.CLOSED
    assert [e for e in bob.console_errors if "Content Security" in e] == []
