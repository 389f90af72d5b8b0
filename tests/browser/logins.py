"""Logging a demo persona in through the login form of a server the test started itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from supportal.demo.loader import DEMO_PASSWORD

from .conftest import TIMEOUT_MS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


def logged_in_page(browser: Browser, base: str, email: str, errors: list[str]) -> Page:
    """A new browser context logged in as ``email``; console errors go to ``errors``."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    return page
