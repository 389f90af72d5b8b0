"""A tour in a real browser: a customer admin invites a colleague, the colleague follows
the mailed link, is refused a weak password (keeping what they typed), sets a good one and
lands logged in; the admin then sees and deactivates them. And the public contact page."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from .conftest import CHROMIUM, TIMEOUT_MS

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium", allow_module_level=True)
pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

from playwright.sync_api import expect  # noqa: E402

LINK = re.compile(r"http://\S+(/accounts/invitation/[\w-]+/)")


def test_admin_invites_a_colleague_who_sets_a_password_and_is_then_deactivated(
    log_in, personas, browser, live_server
):
    alice = log_in("alice@acmeprint.test")
    page = alice.page
    page.get_by_role("link", name="People").click()
    expect(page.locator("h1")).to_contain_text("Acme Print")
    expect(page.get_by_test_id("members")).to_contain_text("bob@acmeprint.test")

    page.fill("input[name=email]", "dora@acmeprint.test")
    page.fill("input[name=name]", "Dora Diaz")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".messages")).to_contain_text("Invitation sent to dora@acmeprint.test")
    expect(page.get_by_test_id("invitations")).to_contain_text("dora@acmeprint.test")

    invitation_mail = [m for m in mail.outbox if m.to == ["dora@acmeprint.test"]][-1]
    path = LINK.search(invitation_mail.body).group(1)

    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    try:
        dora = context.new_page()
        dora.goto(live_server.url + path)
        expect(dora.locator("h1")).to_contain_text("Join Acme Print")
        dora.fill("input[name=name]", "Dora D.")
        dora.fill("input[name=password1]", "short")
        dora.fill("input[name=password2]", "short")
        dora.get_by_role("button", name="Create my account").click()
        expect(dora.locator(".field-error").first).to_contain_text("too short")
        expect(dora.locator("input[name=name]")).to_have_value("Dora D.")

        dora.fill("input[name=password1]", "plum-harbour-lantern-42")
        dora.fill("input[name=password2]", "plum-harbour-lantern-42")
        dora.get_by_role("button", name="Create my account").click()
        expect(dora.locator(".messages")).to_contain_text("Welcome to Supportal")
        expect(dora.locator(".user-menu__name")).to_contain_text("Dora D.")

        dora.goto(live_server.url + path)  # the link worked once
        expect(dora.locator("h1")).to_contain_text("not valid")
    finally:
        context.close()

    page.reload()
    members = page.get_by_test_id("members")
    expect(members).to_contain_text("dora@acmeprint.test")
    page.get_by_role("button", name="Deactivate dora@acmeprint.test").click()
    expect(page.locator(".messages")).to_contain_text("can no longer log in")
    expect(members.locator("tr", has_text="dora@acmeprint.test")).to_contain_text("Deactivated")
    assert [e for e in alice.console_errors if "Content Security" in e] == []


def test_contact_page_publishes_phone_hours_and_no_email_invitation(browser, live_server):
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/accounts/login/")
        page.locator("footer").get_by_role("link", name="Contact support").click()
        expect(page.locator("h1")).to_have_text("Contact support")
        expect(page.get_by_test_id("phone")).to_have_text("800-571-2138 ext. 4")
        expect(page.get_by_test_id("first-response")).to_contain_text("4 business hours")
        hours = page.get_by_test_id("hours")
        expect(hours.locator("tr[data-region=usa]")).to_contain_text("Monday to Friday")
        expect(hours.locator("tr[data-region=india]")).to_contain_text("To be announced")
        assert page.locator("a[href^='mailto:']").count() == 0
    finally:
        context.close()
