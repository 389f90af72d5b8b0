"""An agent tags a ticket, finds it by tag and phrase from the search page, keeps the
search as a view and sees the view's live count; a customer's search finds only theirs."""

from __future__ import annotations

import pytest

from supportal.tickets import services

from .conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium", allow_module_level=True)
pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

from playwright.sync_api import expect  # noqa: E402


def _file(user, subject, description):
    return services.open_ticket(
        requester=user,
        draft=services.TicketDraft(
            product="pressero", kind="question", subject=subject, description=description
        ),
    )


def test_agent_tags_searches_and_saves_a_view(personas, log_in):
    dns = _file(personas.bob, "Storefront domain not resolving", "The DNS records point nowhere.")
    other = _file(personas.alice, "Domain renewal question", "When does our domain renew?")

    agent = log_in("agent@vendor.test")
    agent.goto(dns.get_absolute_url())
    agent.page.get_by_label("Add a tag").fill("DNS")
    agent.page.get_by_role("button", name="Add tag").click()
    expect(agent.page.locator("#ticket-tags .tag")).to_have_text("dns")

    agent.page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    box = agent.page.get_by_role("searchbox")
    box.fill('domain tag:dns "not resolving"')
    box.press("Enter")
    rows = agent.page.locator("table.tickets-table tbody tr")
    expect(rows.first).to_contain_text(dns.number)
    expect(agent.page.locator("#result-count")).to_have_text("1 ticket")
    expect(agent.page.locator("table.tickets-table")).not_to_contain_text(other.number)

    box.fill("domain")
    box.press("Enter")
    expect(agent.page.locator("#result-count")).to_have_text("2 tickets")

    agent.page.get_by_label("View name").fill("Domains")
    agent.page.get_by_role("button", name="Save view").click()
    views = agent.page.locator("#view-counts")
    expect(views.get_by_role("link", name="Domains")).to_be_visible()
    item = views.locator("li", has_text="Domains")
    expect(item.locator("[data-count]")).to_have_text("2")
    expect(views.locator("li", has_text="Queue").locator("[data-count]")).to_have_text("2")
    assert agent.errors_besides_sockets() == []

    carol = log_in("carol@brightink.test")
    carol.goto("/tickets/search/?q=domain")
    expect(carol.page.locator("#result-count")).to_have_text("0 tickets")
    expect(carol.page.locator("#view-counts")).to_have_count(0)
