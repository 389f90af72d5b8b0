"""Which happenings are events, and the manager's side: defining an endpoint in the admin,
reading its secret, a test delivery."""

from __future__ import annotations

import json
import re

import pytest
import time_machine

from supportal.chat import services as chat_services
from supportal.tickets import services as ticket_services
from supportal.tickets.models import AuditEvent
from supportal.webhooks.models import Delivery, Endpoint, Event
from tests.chat.conftest import OPEN_HOURS, pressero

from .conftest import make_endpoint
from .test_deliveries import file_ticket

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action


@pytest.mark.parametrize(
    ("action", "data", "event"),
    [
        (Action.SLA_WARNED, {"clock_id": 1}, "sla.warning"),
        (Action.SLA_BREACHED, {"metric": "first_response"}, "sla.breach"),
        (Action.PAGED, {}, "page.sent"),
        (Action.BILLING_NOTICE_ACCEPTED, {}, "notice.accepted"),
        (Action.ASSIGNED, {}, "ticket.updated"),
        (Action.STATUS_CHANGED, {"from": "open", "to": "closed"}, "ticket.resolved"),
        (Action.STATUS_CHANGED, {"from": "new", "to": "open"}, "ticket.updated"),
    ],
)
def test_audited_changes_become_their_events(demo, receiver, action, data, event):
    make_endpoint(receiver.url, *[value for value, _ in Event.choices])
    ticket = file_ticket(demo.bob)
    audit = ticket_services.record_event(ticket=ticket, actor=None, action=action, data=data)
    delivery = Delivery.objects.get(source=f"audit:{audit.pk}")
    assert delivery.event == event
    assert delivery.payload["ticket"]["id"] == ticket.pk
    assert "clock_id" not in delivery.payload["change"]  # internal ids stay inside


def test_credentials_views_and_time_logged_are_not_events(demo, receiver):
    make_endpoint(receiver.url, *[value for value, _ in Event.choices])
    ticket = file_ticket(demo.bob)
    before = Delivery.objects.count()
    for action in (Action.CREDENTIALS_VIEWED, Action.TIME_LOGGED, Action.NOTE_ADDED):
        ticket_services.record_event(ticket=ticket, actor=demo.agent, action=action)
    assert Delivery.objects.count() == before


def test_a_chat_started_by_a_customer_is_an_event(
    demo, receiver, django_capture_on_commit_callbacks
):
    make_endpoint(receiver.url, Event.CHAT_STARTED)
    with time_machine.travel(OPEN_HOURS, tick=True):
        chat_services.set_availability(agent=demo.agent, available=True)
        chat_services.console_connected(agent=demo.agent, channel_name="test-console")
        with django_capture_on_commit_callbacks(execute=True):
            chat = chat_services.start_chat(
                customer=demo.bob, product=pressero(), question="Where are shipping zones?"
            )
    [post] = receiver.posts
    document = json.loads(post.body)
    assert document["type"] == "chat.started"
    assert document["data"]["chat"]["id"] == chat.pk
    assert document["data"]["chat"]["customer"]["id"] == demo.bob.pk


def test_a_manager_defines_an_endpoint_in_the_admin_and_reads_its_secret(
    demo, client, receiver, django_capture_on_commit_callbacks
):
    client.force_login(demo.manager)
    response = client.post(
        "/admin/webhooks/endpoint/add/",
        {
            "name": "On-call Slack",
            "url": receiver.url,
            "format": "json",
            "events": ["page.sent", "sla.breach"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content
    endpoint = Endpoint.objects.get()
    assert endpoint.events == ["page.sent", "sla.breach"]
    page = client.get(f"/admin/webhooks/endpoint/{endpoint.pk}/change/").content.decode()
    assert endpoint.secret in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/webhooks/endpoint/",
            {"action": "send_test_delivery", "_selected_action": [endpoint.pk]},
        )
    [post] = receiver.posts
    assert json.loads(post.body)["type"] == "ping"
    assert receiver.verified(endpoint.secret, post)
    log = client.get("/admin/webhooks/delivery/").content.decode()
    assert re.search(r"ping|Test delivery", log)


def test_an_invalid_url_is_refused_with_what_was_typed_kept(demo, client):
    client.force_login(demo.manager)
    response = client.post(
        "/admin/webhooks/endpoint/add/",
        {"name": "Typo", "url": "ftp://example.com/x", "format": "json", "events": ["ping"]},
    )
    assert response.status_code == 200
    assert Endpoint.objects.count() == 0
    assert 'value="Typo"' in response.content.decode()


@pytest.mark.parametrize("persona", ["agent", "alice"])
def test_only_managers_reach_the_webhook_admin(demo, client, persona):
    client.force_login(getattr(demo, persona))
    response = client.get("/admin/webhooks/endpoint/")
    assert response.status_code in (302, 403, 404)
