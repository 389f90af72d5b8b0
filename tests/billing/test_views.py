"""The console and portal pieces on the ticket page, and the billing pages."""

from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from supportal.billing import notices, timelog
from supportal.billing.models import Notice, TimeEntry
from tests.factories import make_ticket

from .conftest import accepted_notice


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_console_shows_the_meter_and_the_three_ways_when_the_allowance_is_reached(
    demo, acme_ticket
):
    timelog.log_time(ticket=acme_ticket, actor=demo.agent, minutes=12, category="support")
    page = client_for(demo.agent).get(acme_ticket.get_absolute_url()).content.decode()
    assert "12 of 15 free minutes used" in page
    assert "Free support is used up" not in page
    timelog.log_time(ticket=acme_ticket, actor=demo.agent, minutes=3, category="support")
    page = client_for(demo.agent).get(acme_ticket.get_absolute_url()).content.decode()
    assert "Free support is used up" in page
    assert "Send notice" in page and "Mark confirmed bug" in page
    assert "A manager can extend free support" in page
    manager_page = client_for(demo.manager).get(acme_ticket.get_absolute_url()).content.decode()
    assert reverse("billing:extend_allowance", args=[acme_ticket.pk]) in manager_page


def test_console_refuses_billable_time_without_consent_and_keeps_the_input(demo, acme_ticket):
    response = client_for(demo.agent).post(
        reverse("billing:log_time", args=[acme_ticket.pk]),
        {"minutes": "45", "category": "ps_technical", "note": "Fixed their API script"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "needs the customer&#x27;s consent" in body
    assert "Fixed their API script" in body
    assert not TimeEntry.objects.exists()


def test_console_logs_time_and_sends_a_notice(demo, acme_ticket):
    agent = client_for(demo.agent)
    response = agent.post(
        reverse("billing:log_time", args=[acme_ticket.pk]), {"minutes": "15", "category": "support"}
    )
    assert response.status_code == 302
    response = agent.post(
        reverse("billing:send_notice", args=[acme_ticket.pk]),
        {"category": "ps_admin", "estimate_minutes": "60", "message": "Beyond support."},
    )
    assert response.status_code == 302
    assert Notice.objects.get().is_pending


def test_customers_cannot_use_the_console(demo, acme_ticket):
    response = client_for(demo.alice).post(
        reverse("billing:log_time", args=[acme_ticket.pk]), {"minutes": "5", "category": "support"}
    )
    assert response.status_code == 404
    assert (
        client_for(demo.carol)
        .post(reverse("billing:confirm_bug", args=[acme_ticket.pk]))
        .status_code
        == 404
    )


def test_customer_accepts_a_notice_in_the_portal(demo, acme_ticket):
    notice = notices.send_notice(
        ticket=acme_ticket,
        actor=demo.agent,
        category="ps_admin",
        estimate_minutes=60,
        message="Beyond <b>support</b>.",
    )
    alice = client_for(demo.alice)
    page = alice.get(acme_ticket.get_absolute_url()).content.decode()
    assert "your decision is needed" in page
    assert "Beyond &lt;b&gt;support&lt;/b&gt;." in page  # escaped
    assert "1.00 h at $125.00/h" in page
    # Another customer may not decide: 404.
    url = reverse("billing:accept_notice", args=[notice.pk])
    assert client_for(demo.carol).post(url).status_code == 404
    assert alice.post(url).status_code == 302
    notice.refresh_from_db()
    assert notice.status == Notice.Status.ACCEPTED and notice.decided_by == demo.alice


def test_professional_services_ticket_tells_the_customer(demo):
    ticket = make_ticket(demo.alice, kind="professional_services", subject="Custom skin")
    page = client_for(demo.alice).get(ticket.get_absolute_url()).content.decode()
    assert "This request is <strong>professional services</strong>" in page


def test_calculator_flow_in_the_portal(demo):
    ticket = make_ticket(demo.alice, kind="calculator_password", subject="Sheet password")
    alice, agent = client_for(demo.alice), client_for(demo.agent)
    assert "Save a copy of the spreadsheet" in alice.get(ticket.get_absolute_url()).content.decode()
    refused = agent.post(reverse("billing:release_password", args=[ticket.pk]), {"password": "pw1"})
    assert refused.status_code == 422
    alice.post(reverse("billing:acknowledge_calculator", args=[ticket.pk]), {"acknowledge": "1"})
    agent.post(reverse("billing:release_password", args=[ticket.pk]), {"password": "pw1"})
    shown = alice.post(reverse("billing:reveal_calculator", args=[ticket.pk]))
    assert "pw1" in shown.content.decode()
    again = alice.post(reverse("billing:reveal_calculator", args=[ticket.pk]), follow=True)
    assert "pw1" not in again.content.decode()


def test_statement_pages_for_the_customer_admin_only(demo):
    with time_machine.travel("2025-05-20 12:00 -05:00", tick=False):
        ticket = make_ticket(demo.alice)
        accepted_notice(ticket, demo.agent, demo.alice, category="ps_technical", minutes=300)
        timelog.log_time(ticket=ticket, actor=demo.ps, minutes=240, category="ps_technical")
    url = reverse("billing:statement", args=[demo.acme.pk, "2025-05"])
    page = client_for(demo.alice).get(url).content.decode()
    assert "150.00" in page and "Billed in 15-minute increments" in page
    for path in ("billing:statement_csv", "billing:statement_pdf"):
        response = client_for(demo.alice).get(reverse(path, args=[demo.acme.pk, "2025-05"]))
        assert response.status_code == 200
    for outsider in (demo.bob, demo.carol):
        assert client_for(outsider).get(url).status_code == 404
    assert client_for(demo.alice).get(reverse("billing:home")).status_code == 302
    assert client_for(demo.bob).get(reverse("billing:home")).status_code == 404


def test_staff_report_shows_revenue_and_expert_hours(demo):
    ticket = make_ticket(demo.alice)
    accepted_notice(ticket, demo.agent, demo.alice, category="ps_admin", minutes=300)
    timelog.log_time(ticket=ticket, actor=demo.ps, minutes=240, category="ps_admin")
    page = client_for(demo.manager).get(reverse("billing:report")).content.decode()
    assert "Acme Print" in page and "$125.00" in page and "3.00" in page
    work_date = TimeEntry.objects.filter(ticket=ticket).first().work_date
    assert work_date.strftime("%B %Y") in page  # the month as a reader says it
    assert client_for(demo.alice).get(reverse("billing:report")).status_code == 404


@pytest.mark.parametrize("path", ["add", "change"])
def test_admin_cannot_write_time_entries(demo, acme_ticket, path):
    timelog.log_time(ticket=acme_ticket, actor=demo.agent, minutes=5, category="support")
    entry = TimeEntry.objects.get()
    manager = client_for(demo.manager)
    if path == "add":
        url = reverse("admin:billing_timeentry_add")
        response = manager.post(
            url,
            {
                "ticket": acme_ticket.pk,
                "minutes": 60,
                "billable": "on",
                "amount": "125.00",
                "category": 2,
            },
        )
        assert response.status_code == 403
    else:
        url = reverse("admin:billing_timeentry_change", args=[entry.pk])
        manager.post(url, {"billable": "on", "amount": "999.00"})
        entry.refresh_from_db()
        assert (entry.billable, entry.amount) == (False, Decimal("0.00"))
    assert TimeEntry.objects.count() == 1
