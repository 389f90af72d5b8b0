"""In a real browser: a customer switches the portal to Spanish from the footer, the pages
(menus, headings, a script's strings from the JavaScript catalog) read Spanish, the choice
stays with their account, and they switch back to English."""

from __future__ import annotations

import pytest

from .conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium", allow_module_level=True)
pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

from playwright.sync_api import expect  # noqa: E402


def test_a_customer_switches_to_spanish_and_back(log_in, personas, live_server):
    bob = log_in("bob@acmeprint.test")
    page = bob.page
    page.goto(live_server.url + "/tickets/new/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="My tickets")).to_be_visible()

    page.get_by_test_id("language-switch").get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert page.url.endswith("/tickets/new/")  # back on the page it was on
    expect(page.get_by_role("link", name="Mis tickets")).to_be_visible()
    expect(page.get_by_role("link", name="Base de conocimiento")).to_be_visible()
    # The scripts read their strings from the Spanish JavaScript catalog.
    page.wait_for_load_state()
    assert page.evaluate("gettext('Waiting for an agent')") == "Esperando a un agente"

    # The choice is the account's: another visit, in a fresh browser session, is Spanish.
    again = log_in("bob@acmeprint.test").page
    again.goto(live_server.url + "/tickets/")
    expect(again.locator("html")).to_have_attribute("lang", "es")

    again.get_by_test_id("language-switch").get_by_role("button", name="English").click()
    expect(again.locator("html")).to_have_attribute("lang", "en")
    expect(again.get_by_role("link", name="My tickets")).to_be_visible()
    assert not bob.errors_besides_sockets()
