"""The customer's ticket report page: visibility, filters, sorting, pages, timings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportal.reports import queries
from supportal.reports.queries import ReportFilters
from tests.factories import make_ticket
from tests.training import train

from .conftest import answer, chicago, set_status


@pytest.fixture
def tickets(demo):
    a1 = make_ticket(
        demo.alice, at=chicago(2025, 8, 29, 16), product="pressero", subject="Alice one"
    )
    b1 = make_ticket(demo.bob, at=chicago(2025, 9, 2, 9), product="edocbuilder", subject="Bob one")
    b2 = make_ticket(
        demo.bob, at=chicago(2025, 9, 3, 9), product="pressero", subject="Bob urgent", urgent=True
    )
    train(demo.carol, "pjm")
    c1 = make_ticket(demo.carol, at=chicago(2025, 9, 2, 9), product="pjm", subject="Carol one")
    answer(a1, demo.agent, at=chicago(2025, 9, 2, 10))  # across the weekend and Labor Day
    set_status(a1, demo.agent, "resolved", at=chicago(2025, 9, 2, 11))
    return {"a1": a1, "b1": b1, "b2": b2, "c1": c1}


def _numbers(user, **filters) -> set[str]:
    return {t.number for t in queries.report_tickets(user, ReportFilters(**filters))}


def test_each_customer_sees_only_what_the_ticket_list_shows(demo, tickets):
    t = tickets
    assert _numbers(demo.carol) == {t["c1"].number}
    assert _numbers(demo.bob) == {t["b1"].number, t["b2"].number}
    assert _numbers(demo.alice) == {t["a1"].number, t["b1"].number, t["b2"].number}
    assert _numbers(demo.agent) == {x.number for x in t.values()}


def test_filters_narrow_the_report(demo, tickets):
    t = tickets
    assert _numbers(demo.alice, urgent=True) == {t["b2"].number}
    assert _numbers(demo.alice, product="edocbuilder") == {t["b1"].number}
    assert _numbers(demo.alice, status="resolved") == {t["a1"].number}
    assert _numbers(demo.alice, text="bob one") == {t["b1"].number}
    assert _numbers(demo.alice, text=t["a1"].number.lower()) == {t["a1"].number}
    assert _numbers(demo.alice, requester=demo.bob.pk) == {t["b1"].number, t["b2"].number}
    assert _numbers(demo.alice, received_from=chicago(2025, 9, 3).date()) == {t["b2"].number}
    assert _numbers(demo.alice, received_to=chicago(2025, 9, 2).date()) == {
        t["a1"].number,
        t["b1"].number,
    }


def test_requester_filter_is_ignored_for_a_plain_customer(demo, tickets):
    assert _numbers(demo.bob, requester=demo.alice.pk) == _numbers(demo.bob)


def test_report_pages_by_cursor_in_the_chosen_order(demo, tickets, settings):
    settings.SUPPORTAL_PAGE_SIZE = 2
    first = queries.report_page(demo.alice, ReportFilters(sort="oldest"), None)
    assert [t.subject for t in first.items] == ["Alice one", "Bob one"]
    second = queries.report_page(demo.alice, ReportFilters(sort="oldest"), first.next_cursor)
    assert [t.subject for t in second.items] == ["Bob urgent"]
    assert second.next_cursor is None


def test_each_row_carries_business_hours_response_and_resolution(demo, tickets):
    page = queries.report_page(demo.alice, ReportFilters(text="Alice one"), None)
    (ticket,) = page.items
    assert ticket.first_response_seconds == 2 * 3600  # Fri 16-17, Tue 9-10 (Mon a holiday)
    assert ticket.resolution_seconds == 3 * 3600
    bob = queries.report_page(demo.alice, ReportFilters(text="Bob one"), None).items[0]
    assert bob.first_response_seconds is None and bob.resolution_seconds is None


def test_report_page_renders_for_a_customer_admin(client, demo, tickets):
    client.force_login(demo.alice)
    response = client.get(reverse("reports:tickets"), {"sort": "oldest"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Alice one" in body and "Bob urgent" in body and "Carol one" not in body
    assert "2h 00m" in body
    assert 'name="requester"' in body


def test_report_page_shows_carol_nothing_of_acme(client, demo, tickets):
    client.force_login(demo.carol)
    body = client.get(reverse("reports:tickets")).content.decode()
    assert "Carol one" in body
    assert "Alice one" not in body and "Bob one" not in body
    assert 'name="requester"' not in body


def test_invalid_dates_show_a_field_error_and_the_rest_still_runs(client, demo, tickets):
    client.force_login(demo.alice)
    response = client.get(
        reverse("reports:tickets"),
        {"received_from": "2025-09-03", "received_to": "2025-09-01", "product": "pressero"},
    )
    body = response.content.decode()
    assert "Pick a date on or after the start date." in body
    assert "Bob urgent" in body and "Bob one" not in body


def test_reports_address_leads_to_the_ticket_report(client, demo):
    client.force_login(demo.alice)
    response = client.get("/reports/", follow=True)
    assert response.redirect_chain == [(reverse("reports:tickets"), 302)]
    assert response.status_code == 200


def test_reports_address_asks_an_anonymous_visitor_to_log_in(client):
    response = client.get("/reports/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
