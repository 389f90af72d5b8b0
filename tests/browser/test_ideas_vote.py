"""A customer finds an idea on the board, votes for it (htmx), and the count is kept."""

from __future__ import annotations

import pytest

from supportal.ideas import services
from supportal.ideas.models import Idea, Vote

from .conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium", allow_module_level=True)
pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

from playwright.sync_api import expect  # noqa: E402


def test_customer_votes_for_an_idea_and_it_counts_once(log_in, personas):
    idea = services.create_idea(actor=personas.agent, title="One-click reorder")
    services.vote(idea=idea, user=personas.alice)  # Acme already asked

    carol = log_in("carol@brightink.test")
    carol.goto("/ideas/")
    page = carol.page
    row = page.locator(".idea-row", has_text="One-click reorder")
    expect(row.locator(".vote__count")).to_contain_text("1 org")
    row.get_by_role("button", name="Vote").click()
    expect(row.get_by_role("button", name="Voted ✓")).to_be_visible()
    expect(row.locator(".vote__count")).to_contain_text("2 orgs")

    page.reload()
    row = page.locator(".idea-row", has_text="One-click reorder")
    expect(row.get_by_role("button", name="Voted ✓")).to_be_visible()
    idea = Idea.objects.get(pk=idea.pk)
    assert (idea.org_count, idea.user_count) == (2, 2)
    assert Vote.objects.filter(idea=idea, user=personas.carol).count() == 1

    row.get_by_role("link", name="One-click reorder").click()
    expect(page.locator("h1")).to_have_text("One-click reorder")
    expect(page.get_by_role("button", name="Unfollow")).to_be_visible()  # voters follow
    assert carol.console_errors == []
