"""A customer types a subject on the new-ticket form, sees a matching article, opens it and
marks it solved: the question is answered and no ticket is created."""

from __future__ import annotations

import re

import pytest

from supportal.kb.demo import load_kb_demo
from supportal.kb.models import DeflectionEvent
from supportal.tickets.models import Ticket

from .conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium", allow_module_level=True)
pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

from playwright.sync_api import expect  # noqa: E402


def test_suggested_article_solves_the_question_and_no_ticket_is_filed(log_in, personas):
    load_kb_demo(personas)
    bob = log_in("bob@acmeprint.test")
    bob.goto("/tickets/new/")
    page = bob.page

    page.locator("#id_subject").press_sequentially("How do I add a shipping meth", delay=20)

    suggestion = page.locator("#kb-suggestions a", has_text="How to add a shipping method")
    expect(suggestion).to_be_visible()
    with page.context.expect_page() as opened:
        suggestion.click()
    article = opened.value
    article.wait_for_load_state()
    expect(article.locator("h1")).to_have_text("How to add a shipping method")

    article.get_by_role("button", name="This solved my question").click()

    expect(article).to_have_url(re.compile(r"/tickets/$"))
    expect(article.locator(".messages")).to_contain_text("No ticket was filed")
    event = DeflectionEvent.objects.get()
    assert event.user == personas.bob and event.solved_at is not None
    assert not Ticket.objects.exists()
    assert [e for e in bob.console_errors if "Content Security" in e] == []
