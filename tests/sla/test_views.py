"""SLA on the pages: the clock in the queue and on the ticket, the expectation, reports."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from supportal.tickets import services
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")


def test_queue_shows_time_left_and_overdue(demo, client):
    with time_machine.travel(datetime(2026, 11, 24, 10, tzinfo=CHICAGO), tick=False):
        make_ticket(demo.bob)
        client.force_login(demo.agent)  # the session is as old as the travelled day
    with time_machine.travel(datetime(2026, 11, 24, 11, tzinfo=CHICAGO), tick=False):
        html = client.get(reverse("tickets:queue")).content.decode()
    assert "sla--ok" in html and "3h 00m left" in html
    with time_machine.travel(datetime(2026, 11, 24, 15, tzinfo=CHICAGO), tick=False):
        html = client.get(reverse("tickets:queue")).content.decode()
    assert "sla--breached" in html and "Overdue" in html


def test_ticket_page_shows_due_time_in_agents_zone(demo, client):
    with time_machine.travel(datetime(2026, 11, 24, 10, tzinfo=CHICAGO), tick=False):
        ticket = make_ticket(demo.bob)
        client.force_login(demo.agent)
        html = client.get(ticket.get_absolute_url()).content.decode()
    assert "due Tue Nov 24, 14:00 CST" in html


def test_customer_does_not_see_the_staff_clock(demo, client):
    ticket = make_ticket(demo.bob)
    client.force_login(demo.bob)
    html = client.get(ticket.get_absolute_url()).content.decode()
    assert 'class="sla ' not in html


def test_new_ticket_form_says_what_to_expect(demo, client):
    with time_machine.travel(datetime(2026, 12, 25, 10, tzinfo=CHICAGO), tick=False):
        client.force_login(demo.bob)
        html = client.get(reverse("tickets:new")).content.decode()
    assert "closed today for Christmas Day" in html
    assert "Monday 13:00 Central Time" in html


def test_agent_downgrades_urgency_from_the_ticket_page(demo, client):
    ticket = make_ticket(demo.bob, urgent=True, urgent_reason="cannot_order")
    client.force_login(demo.agent)
    response = client.post(reverse("tickets:downgrade", args=[ticket.pk]), {"note": "Orders work"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert not ticket.urgent
    client.force_login(demo.bob)
    assert "Urgency removed: Orders work" in client.get(ticket.get_absolute_url()).content.decode()


def test_customer_cannot_downgrade(demo, client):
    ticket = make_ticket(demo.bob, urgent=True, urgent_reason="cannot_order")
    client.force_login(demo.bob)
    response = client.post(reverse("tickets:downgrade", args=[ticket.pk]), {"note": "x"})
    assert response.status_code == 404
    ticket.refresh_from_db()
    assert ticket.urgent


def test_urgent_report_counts_filed_and_downgraded(demo, client):
    first = make_ticket(demo.bob, urgent=True, urgent_reason="cannot_order")
    make_ticket(demo.alice, urgent=True, urgent_reason="cannot_produce")
    make_ticket(demo.bob)
    services.downgrade_urgency(ticket=first, actor=demo.agent, note="Not blocking")
    client.force_login(demo.agent)
    response = client.get(reverse("sla:urgent_report"))
    rows = response.context["rows"]
    assert [(r.organization.name, r.urgent_filed, r.downgraded) for r in rows] == [
        ("Acme Print", 2, 1)
    ]
    client.force_login(demo.bob)
    assert client.get(reverse("sla:urgent_report")).status_code == 404
