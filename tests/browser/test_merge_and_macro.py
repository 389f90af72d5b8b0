"""An agent merges a duplicate into the ticket to keep, then answers it with a macro."""

from __future__ import annotations

import re

import pytest

from supportal.accounts.models import User
from supportal.tickets import macros, services
from supportal.tickets.models import Macro, Ticket

from .conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium", allow_module_level=True)
pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

from playwright.sync_api import expect  # noqa: E402


def _file(bob: User, subject: str, description: str) -> Ticket:
    draft = services.TicketDraft(
        product="pressero", kind="question", subject=subject, description=description
    )
    return services.open_ticket(requester=bob, draft=draft)


def test_agent_merges_a_duplicate_then_answers_with_a_macro(personas, log_in):
    kept = _file(personas.bob, "Checkout fails on card payments", "Card payments fail.")
    duplicate = _file(personas.bob, "Payment error", "Customers see an error at checkout.")
    macros.save_macro(
        actor=personas.manager,
        name="Ask for the browser",
        body="Hello {{ customer_first_name }}, which browser shows the error on "
        "{{ ticket_number }}?",
        set_status=Ticket.Status.PENDING_CUSTOMER,
        assignee_action=Macro.AssigneeAction.ME,
        shared=True,
    )

    agent = log_in("agent@vendor.test")
    page = agent.page
    agent.goto(duplicate.get_absolute_url())
    page.get_by_text("Merge into another ticket").click()
    page.fill("input[name=target]", kept.number)
    page.get_by_role("button", name="Merge", exact=True).click()

    # Lands on the kept ticket, with the duplicate's words in its conversation.
    expect(page.locator("h1")).to_contain_text(kept.number)
    expect(page.get_by_text(f"{duplicate.number} merged into {kept.number}")).to_be_visible()
    expect(page.get_by_text("Customers see an error at checkout.")).to_be_visible()

    page.select_option("select[name=macro]", label="Ask for the browser")
    first_name = personas.bob.get_full_name().split()[0]
    expected = f"Hello {first_name}, which browser shows the error on {kept.number}?"
    expect(page.locator("textarea[name=body]")).to_have_value(expected)
    page.get_by_role("button", name="Send reply").click()

    expect(page.get_by_text("Macro “Ask for the browser” applied")).to_be_visible()
    expect(page.locator(".conversation").get_by_text(expected)).to_be_visible()
    expect(page.locator(".ticket-head .badge").first).to_have_text(re.compile("Pending customer"))
    kept.refresh_from_db()
    assert kept.status == Ticket.Status.PENDING_CUSTOMER
    assert kept.assignee == personas.agent
    assert Ticket.objects.get(pk=duplicate.pk).merged_into_id == kept.pk

    # Bob's old link leads to the kept ticket.
    bob = log_in("bob@acmeprint.test")
    bob.goto(duplicate.get_absolute_url())
    expect(bob.page.locator("h1")).to_contain_text(kept.number)

    csp = [e for e in agent.console_errors + bob.console_errors if "Content Security" in e]
    assert csp == []


def test_agent_merges_two_duplicates_from_the_queue(personas, log_in):
    kept = _file(personas.bob, "Invoices show the wrong logo", "The logo is the old one.")
    first = _file(personas.bob, "Old logo on invoices", "Still the old logo.")
    second = _file(personas.bob, "Logo on PDF invoices", "Wrong logo again.")

    agent = log_in("agent@vendor.test")
    page = agent.page
    agent.goto("/tickets/queue/")
    page.get_by_label(f"Select {first.number}").check()
    page.get_by_label(f"Select {second.number}").check()
    page.fill("input[name=target]", kept.number)
    page.get_by_role("button", name="Merge selected into").click()

    expect(page.get_by_text(f"Merged: {first.number}, {second.number}.")).to_be_visible()
    expect(page.locator(".queue-table")).not_to_contain_text(first.number)
    expect(page.locator(".queue-table")).to_contain_text(kept.number)
    assert set(Ticket.objects.filter(merged_into=kept).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    agent.goto(kept.get_absolute_url())
    expect(page.get_by_text("Still the old logo.")).to_be_visible()
    expect(page.get_by_text("Wrong logo again.")).to_be_visible()
