"""Scheduled reports: managers subscribe; each week's email goes out once."""

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from supportal.core.errors import RuleViolation
from supportal.reports import services
from supportal.reports.models import ReportDelivery
from supportal.reports.tasks import send_weekly_reports_task
from tests.factories import make_ticket

from .conftest import answer, chicago

MONDAY_MORNING = chicago(2025, 9, 8, 7, 30)


def test_manager_subscribes_from_the_dashboard(client, demo):
    client.force_login(demo.manager)
    response = client.post(reverse("reports:subscription"), {"action": "subscribe"})
    assert response.status_code == 302
    assert services.is_subscribed(demo.manager)
    client.post(reverse("reports:subscription"), {"action": "unsubscribe"})
    assert not services.is_subscribed(demo.manager)


def test_only_managers_subscribe(client, demo):
    with pytest.raises(RuleViolation):
        services.subscribe(user=demo.agent)
    client.force_login(demo.agent)
    assert client.post(reverse("reports:subscription")).status_code == 404


def test_weekly_email_is_sent_once_per_week_with_the_key_figures(demo):
    ticket = make_ticket(demo.bob, at=chicago(2025, 9, 2, 9), product="pressero")
    answer(ticket, demo.agent, at=chicago(2025, 9, 2, 10))
    services.refresh_stale_timings()
    services.subscribe(user=demo.manager)
    with time_machine.travel(chicago(2025, 9, 8, 6), tick=False):
        send_weekly_reports_task.call_local()  # before the sending hour
    assert mail.outbox == []
    with time_machine.travel(MONDAY_MORNING, tick=False):
        send_weekly_reports_task.call_local()
        send_weekly_reports_task.call_local()  # a second consumer, or the next hour
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [demo.manager.email]
    assert "week of September 1" in message.subject
    assert "Tickets received: 1" in message.body
    assert "Average first response (business time): 1h 00m" in message.body
    delivery = ReportDelivery.objects.get()
    assert delivery.sent_at is not None and str(delivery.week) == "2025-09-01"
    with time_machine.travel(chicago(2025, 9, 15, 8), tick=False):
        send_weekly_reports_task.call_local()
    assert len(mail.outbox) == 2


def test_unsubscribed_managers_get_nothing(demo):
    services.subscribe(user=demo.manager)
    services.unsubscribe(user=demo.manager)
    with time_machine.travel(MONDAY_MORNING, tick=False):
        assert services.claim_weekly_deliveries() == []
