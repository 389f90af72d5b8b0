"""Playwright (sync API) on Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.db import connections

from supportal.demo.loader import DEMO_PASSWORD, Demo, load_demo

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


@pytest.fixture
def personas(transactional_db, django_db_serialized_rollback, live_server) -> Demo:
    """The demo personas, committed so the live server's thread sees them.

    Serialized rollback puts the migrations' reference data (plans, products, regions)
    back for the next transactional test after this one flushes the tables."""
    return load_demo(with_tickets=False)


@pytest.fixture
def browser(personas: Demo, monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    """A headless Chromium, started after the database is set up for the test.

    Playwright's sync API keeps an asyncio event loop running in this thread. While it
    runs, Django refuses ORM calls ("async unsafe"; lifted here, as nothing else uses the
    test's connection concurrently) and hands out connections per context rather than
    per thread, so the browser must not outlive the test's database setup and teardown,
    and the connections opened meanwhile are closed before the loop stops."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()
            connections.close_all()


@dataclass
class Session:
    """A logged-in browser context, recording console errors (CSP violations among them)."""

    page: Page
    base_url: str
    console_errors: list[str] = field(default_factory=list)

    def errors_besides_sockets(self) -> list[str]:
        """Console errors but the sockets': pytest-django's live server speaks HTTP only, so
        the staff ticket page's presence socket cannot connect here (it is tested on a
        Channels server in test_ticket_presence.py)."""
        return [e for e in self.console_errors if not e.startswith("WebSocket connection")]

    def goto(self, path_or_url: str) -> None:
        url = path_or_url if path_or_url.startswith("http") else self.base_url + path_or_url
        self.page.goto(url)


@pytest.fixture
def log_in(browser: Browser, live_server) -> Iterator[Callable[[str], Session]]:
    """``log_in(email)`` opens a new browser context and logs in through the login form."""
    contexts = []

    def _log_in(email: str) -> Session:
        context = browser.new_context()
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        session = Session(page=page, base_url=live_server.url)
        page.on(
            "console",
            lambda message: (
                session.console_errors.append(message.text) if message.type == "error" else None
            ),
        )
        session.goto("/accounts/login/")
        page.fill("input[name=username]", email)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url, f"login failed for {email}"
        return session

    yield _log_in
    for context in contexts:
        context.close()
