"""The staff dashboard renders its charts as inline SVG; the customer report its table."""

from __future__ import annotations

import pytest
from django.test import override_settings

from supportal.reports import figures
from supportal.tickets import services

from .conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium", allow_module_level=True)
pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

from playwright.sync_api import expect  # noqa: E402

from tests.factories import make_ticket  # noqa: E402


@override_settings(SUPPORTAL_REPORTS_CACHE_SECONDS=0)
def test_dashboard_draws_every_chart_and_the_report_lists_tickets(personas, log_in):
    ticket = make_ticket(personas.bob, subject="Where do I set shipping zones?")
    services.add_reply(ticket=ticket, author=personas.agent, body="Under Settings.")

    manager = log_in(personas.manager.email)
    manager.goto("/reports/dashboard/")
    page = manager.page
    expect(page.get_by_role("heading", name="Support dashboard")).to_be_visible()
    charts = page.locator(".report-chart svg.chart")
    expect(charts).to_have_count(len(figures.FIGURES))
    assert page.locator("svg.chart rect.chart__bar").count() > 0
    assert page.locator("svg.chart polyline.chart__line, svg.chart circle").count() > 0
    page.get_by_text("Data table").first.click()
    expect(page.locator(".report-chart__data table").first).to_be_visible()
    page.get_by_role("button", name="Email me these figures weekly").click()
    expect(page.get_by_role("button", name="Stop the weekly email")).to_be_visible()
    assert manager.console_errors == []

    alice = log_in(personas.alice.email)
    alice.goto("/")
    alice.page.get_by_role("link", name="Reports").click()
    expect(alice.page.get_by_role("heading", name="Ticket report")).to_be_visible()
    expect(alice.page.get_by_text("Where do I set shipping zones?")).to_be_visible()
    expect(alice.page.locator("[data-usage=open]")).to_have_text("1")
    assert alice.console_errors == []
