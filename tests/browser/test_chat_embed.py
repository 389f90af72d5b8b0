"""The chat widget embedded in a product admin page on another origin.

The product admin's back end signs in to the portal's API as the customer, asks for a
widget token (``POST /chat/embed/token/``) and serves a page that loads the portal's
``chat-embed.js`` with it. The widget frames the portal's chat page; the customer asks
there, an agent in the portal's console answers, and the answer appears in the frame."""

from __future__ import annotations

import html
import http.server
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from supportal.demo.loader import DEMO_PASSWORD
from tests.chat.servers import demo_data_dir, run_python, uvicorn
from tests.local_http import serving

from .conftest import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS
from .test_chat import ALWAYS_OPEN

pytestmark = pytest.mark.browser

HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pressero admin</title></head>
<body>
  <h1>Pressero admin</h1>
  <div id="chat-here"></div>
  <script src="{portal}/static/js/chat-embed.js" data-portal="{portal}"
          data-token="{token}" data-product="pressero" data-target="chat-here" defer></script>
</body></html>
"""


class _HostPage(http.server.BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def product_admin() -> Iterator[tuple[str, type[_HostPage]]]:
    """A stand-in for the product admin: another origin serving one page."""
    handler = type("HostPage", (_HostPage,), {})
    with serving(handler) as origin:
        yield origin, handler


@pytest.fixture
def portal(tmp_path_factory, tmp_path: Path, product_admin) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    data_dir = demo_data_dir(tmp_path_factory)
    run_python(ALWAYS_OPEN, data_dir)
    admin_origin, _ = product_admin
    with uvicorn(
        data_dir,
        tmp_path / "uvicorn.log",
        SESSION_COOKIE_SECURE="0",
        SUPPORTAL_CHAT_EMBED_ORIGINS=admin_origin,
    ) as base:
        yield base


def _widget_token(portal: str) -> str:
    """What the product admin's back end does: sign in as the customer, ask for a token."""
    with httpx.Client(base_url=portal, timeout=20) as client:
        signed_in = client.post(
            "/api/v1/auth/token", json={"email": "bob@acmeprint.test", "password": DEMO_PASSWORD}
        )
        assert signed_in.status_code == 200, signed_in.text
        bearer = signed_in.json()["token"]
        issued = client.post("/chat/embed/token/", headers={"Authorization": f"Bearer {bearer}"})
        assert issued.status_code == 200, issued.text
        return issued.json()["token"]


def test_customer_asks_in_the_embedded_widget_and_the_agents_answer_appears_there(
    portal: str, product_admin
):
    from playwright.sync_api import expect, sync_playwright

    admin_origin, host_page = product_admin
    token = _widget_token(portal)
    host_page.body = HOST_PAGE.format(portal=html.escape(portal), token=html.escape(token)).encode()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        errors: list[str] = []

        def new_page():
            context = browser.new_context()
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            return page

        try:
            agent = new_page()
            agent.goto(f"{portal}/accounts/login/")
            agent.fill("input[name=username]", "agent@vendor.test")
            agent.fill("input[name=password]", DEMO_PASSWORD)
            agent.get_by_role("button", name="Log in").click()
            agent.wait_for_load_state()
            agent.get_by_role("link", name="Chat console").click()
            agent.get_by_role("button", name="Take chats").click()
            expect(agent.locator("[data-chat-console][data-connected]")).to_have_count(1)

            # The customer is in the product admin, not signed in to the portal at all.
            admin = new_page()
            admin.goto(f"{admin_origin}/")
            expect(admin.locator("iframe.supportal-chat-frame")).to_have_count(1)
            widget = admin.frame_locator("iframe.supportal-chat-frame")
            widget.locator("textarea[name=question]").fill("How do I print <b>proofs</b>?")
            widget.get_by_role("button", name="Start chat").click()
            expect(widget.locator("[data-chat][data-connected]")).to_have_count(1)

            waiting = agent.locator("[data-chat-waiting]")
            expect(waiting).to_contain_text("How do I print <b>proofs</b>?")
            waiting.get_by_role("button", name="Accept").click()
            pane = agent.locator("[data-chat-pane]")
            expect(pane.locator("[data-chat][data-connected]")).to_have_count(1)
            expect(widget.locator("[data-chat-state]")).to_contain_text("Avery Agent")

            widget.locator("[data-chat-input]").fill("And in colour?")
            widget.locator("[data-chat-input]").press("Enter")
            expect(pane.locator("[data-chat-log]")).to_contain_text("And in colour?")

            pane.locator("[data-chat-input]").fill("Orders > Proofs > <i>Colour</i>.")
            pane.get_by_role("button", name="Send").click()
            log = widget.locator("[data-chat-log]")
            expect(log).to_contain_text("Orders > Proofs > <i>Colour</i>.")
            # Plain text: the agent's markup is shown, never rendered.
            expect(log.locator("i")).to_have_count(0)
        finally:
            browser.close()
    assert not errors, errors


def test_a_page_with_a_forged_token_gets_no_chat(portal: str, product_admin):
    from playwright.sync_api import expect, sync_playwright

    admin_origin, host_page = product_admin
    forged = _widget_token(portal)[:-2] + "xx"
    host_page.body = HOST_PAGE.format(portal=html.escape(portal), token=forged).encode()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(f"{admin_origin}/", wait_until="load")  # the frame loaded too
            expect(page.locator("iframe.supportal-chat-frame")).to_have_count(1)
            widget = page.frame_locator("iframe.supportal-chat-frame")
            expect(widget.locator("textarea[name=question]")).to_have_count(0)
            expect(widget.locator("[data-chat]")).to_have_count(0)
        finally:
            browser.close()
    refused = httpx.get(f"{portal}/chat/embed/", params={"token": forged}, timeout=20)
    assert refused.status_code == 404
