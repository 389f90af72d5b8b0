"""Questions that need the programming staff take longer: staff mark a ticket as escalated
to engineering, the customer sees since when and what to expect, and staff find and count
such tickets."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from supportal.core.errors import NotPermitted, RuleViolation
from supportal.tickets import services
from supportal.tickets.models import AuditEvent, Ticket
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

# Tuesday 1 December 2026, 10:00 in Chicago (Acme's region: USA, 9 to 17 on weekdays).
TUESDAY_MORNING = dt.datetime(2026, 12, 1, 16, 0, tzinfo=dt.UTC)


def test_escalation_is_recorded_and_audited(demo):
    ticket = make_ticket(demo.bob)
    services.escalate_to_engineering(ticket=ticket, actor=demo.agent, note="Pricing engine bug?")
    ticket.refresh_from_db()
    assert ticket.is_with_engineering
    event = AuditEvent.objects.get(ticket=ticket, action=AuditEvent.Action.ENGINEERING_ESCALATED)
    assert (event.actor, event.data) == (demo.agent, {"note": "Pricing engine bug?"})
    services.return_from_engineering(ticket=ticket, actor=demo.agent)
    ticket.refresh_from_db()
    assert not ticket.is_with_engineering
    assert AuditEvent.objects.filter(
        ticket=ticket, action=AuditEvent.Action.ENGINEERING_RETURNED
    ).exists()


def test_only_staff_escalate_and_only_once_and_never_a_closed_ticket(demo):
    ticket = make_ticket(demo.bob)
    for customer in (demo.bob, demo.alice):
        with pytest.raises(NotPermitted):
            services.escalate_to_engineering(ticket=ticket, actor=customer)
    services.escalate_to_engineering(ticket=ticket, actor=demo.agent)
    with pytest.raises(RuleViolation):
        services.escalate_to_engineering(ticket=ticket, actor=demo.agent)
    closed = make_ticket(demo.bob, subject="Another")
    services.change_status(ticket=closed, actor=demo.agent, status=Ticket.Status.CLOSED)
    with pytest.raises(RuleViolation):
        services.escalate_to_engineering(ticket=closed, actor=demo.agent)


@time_machine.travel(TUESDAY_MORNING, tick=False)
def test_customer_sees_the_escalation_and_the_longer_expectation(client_for, demo, settings):
    settings.SUPPORTAL_ENGINEERING_TURNAROUND_DAYS = 5
    ticket = make_ticket(demo.bob)
    page = client_for(demo.bob).get(ticket.get_absolute_url()).content.decode()
    assert 'data-testid="engineering-notice"' not in page
    services.escalate_to_engineering(ticket=ticket, actor=demo.agent, note="internal words")
    page = client_for(demo.bob).get(ticket.get_absolute_url()).content.decode()
    assert "Escalated to our programming staff on Tuesday 01 December 2026" in page
    assert "take longer than our 4 business hours first response" in page
    # Five business days of 8 hours from Tuesday 10:00: the next Tuesday, 10:00.
    assert "within 5 business days, by Tuesday 08 December 2026" in page
    assert "internal words" not in page


@time_machine.travel(TUESDAY_MORNING, tick=False)
def test_the_expected_time_follows_the_setting(client_for, demo, settings):
    settings.SUPPORTAL_ENGINEERING_TURNAROUND_DAYS = 1
    ticket = make_ticket(demo.bob)
    services.escalate_to_engineering(ticket=ticket, actor=demo.agent)
    page = client_for(demo.alice).get(ticket.get_absolute_url()).content.decode()
    assert "within 1 business day, by Wednesday 02 December 2026" in page


def test_staff_escalate_from_the_ticket_page(client_for, demo):
    ticket = make_ticket(demo.bob)
    agent = client_for(demo.agent)
    url = reverse("tickets:engineering", args=[ticket.pk])
    assert agent.post(url, {"escalate": "1", "note": "See the calculator"}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.is_with_engineering
    assert "Back from engineering" in agent.get(ticket.get_absolute_url()).content.decode()
    agent.post(url, {"escalate": "0"})
    ticket.refresh_from_db()
    assert not ticket.is_with_engineering


def test_customers_cannot_use_the_escalation_button(client_for, demo):
    ticket = make_ticket(demo.bob)
    answer = client_for(demo.bob).post(
        reverse("tickets:engineering", args=[ticket.pk]), {"escalate": "1"}
    )
    assert answer.status_code == 404
    ticket.refresh_from_db()
    assert not ticket.is_with_engineering


def test_queue_and_list_filter_escalated_tickets(client_for, demo):
    escalated = make_ticket(demo.bob, subject="Needs a developer")
    plain = make_ticket(demo.bob, subject="Plain question")
    services.escalate_to_engineering(ticket=escalated, actor=demo.agent)
    agent = client_for(demo.agent)
    for name in ("tickets:queue", "tickets:list"):
        html = agent.get(reverse(name), {"escalated": "1"}).content.decode()
        assert escalated.number in html and plain.number not in html, name


def test_dashboard_counts_open_tickets_with_engineering(client_for, demo):
    for subject in ("One", "Two"):
        services.escalate_to_engineering(
            ticket=make_ticket(demo.bob, subject=subject), actor=demo.agent
        )
    done = make_ticket(demo.bob, subject="Three")
    services.escalate_to_engineering(ticket=done, actor=demo.agent)
    services.change_status(ticket=done, actor=demo.agent, status=Ticket.Status.CLOSED)
    html = client_for(demo.manager).get(reverse("reports:dashboard")).content.decode()
    section = html[html.index('data-testid="engineering-count"') :]
    assert "<strong>2</strong> open tickets escalated" in section
    assert "?escalated=1" in section
