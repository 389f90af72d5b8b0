"""On-call paging after hours, with a real SMTP listener and a real webhook receiver."""

import hashlib
import hmac
import json
import socket
import threading
from datetime import date, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.urls import reverse

from supportal.sla import paging
from supportal.sla.models import OnCallMember, OnCallOverride, OnCallRotation, Page, WebhookDelivery
from supportal.sla.tasks import deliver_webhook_task, run_due_pages_task
from supportal.tickets import services
from supportal.tickets.models import AuditEvent
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")
SATURDAY_NOON = datetime(2026, 11, 28, 12, tzinfo=CHICAGO)  # every office closed


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        # Pages go to staff; the customers' ticket notifications (intake) are not counted.
        if all(rcpt.endswith("@vendor.test") for rcpt in envelope.rcpt_tos):
            self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    yield inbox
    controller.stop()


class Receiver:
    def __init__(self):
        self.requests = []
        self.fail_next = 0


@pytest.fixture
def webhook(settings):
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            receiver.requests.append((dict(self.headers), body))
            status = 500 if receiver.fail_next > 0 else 200
            receiver.fail_next = max(0, receiver.fail_next - 1)
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SUPPORTAL_ONCALL_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/hook"
    settings.SUPPORTAL_ONCALL_WEBHOOK_SECRET = "hook-secret"
    settings.SUPPORTAL_OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]  # the receiver is on loopback
    yield receiver
    server.shutdown()


@pytest.fixture
def rotation(demo):
    # The demo's own rotation is active too (priority 100): this one outranks it.
    rotation = OnCallRotation.objects.create(
        name="Weekend", timezone="America/Chicago", starts_on=date(2026, 11, 2),
        handover_time=time(9), shift_days=7, priority=10,
    )  # fmt: skip
    for position, user in enumerate([demo.agent, demo.agent_es, demo.manager]):
        OnCallMember.objects.create(rotation=rotation, user=user, position=position)
    return rotation


def test_rotation_hands_over_each_week(rotation, demo):
    assert (
        paging.on_call_chain(rotation, datetime(2026, 11, 3, 12, tzinfo=CHICAGO))[0] == demo.agent
    )
    assert paging.on_call_chain(rotation, datetime(2026, 11, 9, 8, tzinfo=CHICAGO))[0] == demo.agent
    assert (
        paging.on_call_chain(rotation, datetime(2026, 11, 9, 10, tzinfo=CHICAGO))[0]
        == demo.agent_es
    )
    assert (
        paging.on_call_chain(rotation, datetime(2026, 11, 16, 10, tzinfo=CHICAGO))[0]
        == demo.manager
    )


def test_override_takes_the_shift(rotation, demo):
    OnCallOverride.objects.create(
        rotation=rotation, user=demo.ps, starts_at=SATURDAY_NOON - timedelta(hours=1),
        ends_at=SATURDAY_NOON + timedelta(days=1), reason="Thanksgiving swap",
    )  # fmt: skip
    assert paging.on_call_chain(rotation, SATURDAY_NOON)[0] == demo.ps


def test_urgent_ticket_in_working_hours_pages_nobody(
    rotation, demo, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(datetime(2026, 11, 24, 10, tzinfo=CHICAGO), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        ticket = make_ticket(demo.bob, kind="bug", urgent=True)
    assert not Page.objects.filter(ticket=ticket).exists()


def test_after_hours_urgent_pages_by_mail_and_signed_webhook(
    rotation, demo, smtp, webhook, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(SATURDAY_NOON, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        ticket = make_ticket(demo.bob, kind="bug", urgent=True)
    page = Page.objects.get(ticket=ticket)
    assert page.current_user == demo.agent and page.attempts == 1
    assert len(smtp.messages) == 1
    rcpt, content = smtp.messages[0]
    assert rcpt == [demo.agent.email]
    assert ticket.number in content and page.ack_token in content
    headers, body = webhook.requests[0]
    expected = "sha256=" + hmac.new(b"hook-secret", body, hashlib.sha256).hexdigest()
    assert headers["X-Supportal-Signature"] == expected
    assert json.loads(body)["ticket"]["number"] == ticket.number
    assert ticket.audit_events.filter(action=AuditEvent.Action.PAGED).count() == 1


def test_repeats_then_escalates_until_acknowledged(
    rotation, demo, smtp, client, django_capture_on_commit_callbacks, settings
):
    settings.SUPPORTAL_PAGE_REPEAT_MINUTES = 10
    settings.SUPPORTAL_PAGE_REPEATS_BEFORE_ESCALATION = 3
    with (
        time_machine.travel(SATURDAY_NOON, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        ticket = make_ticket(demo.bob, kind="bug", urgent=True)
    for minutes in (5, 10, 20, 30):  # the 5-minute run is not due yet
        with time_machine.travel(SATURDAY_NOON + timedelta(minutes=minutes), tick=False):
            run_due_pages_task.call_local()
    recipients = [rcpt[0] for rcpt, _ in smtp.messages]
    assert recipients == [demo.agent.email] * 3 + [demo.agent_es.email]
    page = Page.objects.get(ticket=ticket)
    assert page.escalation_level == 1

    url = reverse("sla:acknowledge", args=[page.ack_token])
    with time_machine.travel(SATURDAY_NOON + timedelta(minutes=35), tick=False):
        client.force_login(demo.agent_es)  # a session from today would have expired by then
        assert client.get(url).status_code == 200
        response = client.post(url)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.state == Page.State.ACKNOWLEDGED and page.acknowledged_by == demo.agent_es
    ticket.refresh_from_db()
    assert ticket.assignee == demo.agent_es
    with time_machine.travel(SATURDAY_NOON + timedelta(minutes=60), tick=False):
        run_due_pages_task.call_local()
    assert len(smtp.messages) == 4
    actions = list(ticket.audit_events.values_list("action", flat=True))
    assert AuditEvent.Action.PAGE_ESCALATED in actions
    assert actions[-1] == AuditEvent.Action.PAGE_ACKNOWLEDGED


def test_paging_resumes_from_the_database(rotation, demo, smtp, django_capture_on_commit_callbacks):
    """A page whose first notification never ran (consumer down) is sent by the sweeper."""
    with (
        time_machine.travel(SATURDAY_NOON, tick=False),
        django_capture_on_commit_callbacks(execute=False),
    ):
        make_ticket(demo.bob, kind="bug", urgent=True, urgent_reason="cannot_produce")
    assert smtp.messages == []
    with time_machine.travel(SATURDAY_NOON + timedelta(minutes=2), tick=False):
        run_due_pages_task.call_local()
        run_due_pages_task.call_local()
    assert len(smtp.messages) == 1


def test_customers_cannot_acknowledge(rotation, demo, client, django_capture_on_commit_callbacks):
    with (
        time_machine.travel(SATURDAY_NOON, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        ticket = make_ticket(demo.bob, kind="bug", urgent=True)
    page = Page.objects.get(ticket=ticket)
    client.force_login(demo.bob)
    response = client.post(reverse("sla:acknowledge", args=[page.ack_token]))
    assert response.status_code == 404
    page.refresh_from_db()
    assert page.state == Page.State.PAGING


def test_resolving_cancels_the_page(rotation, demo, django_capture_on_commit_callbacks):
    with time_machine.travel(SATURDAY_NOON, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            ticket = make_ticket(demo.bob, kind="bug", urgent=True)
        services.change_status(ticket=ticket, actor=demo.agent, status="resolved")
    assert Page.objects.get(ticket=ticket).state == Page.State.CANCELLED


def test_failed_webhook_is_retried_and_delivered(
    rotation, demo, webhook, django_capture_on_commit_callbacks
):
    webhook.fail_next = 1
    with (
        time_machine.travel(SATURDAY_NOON, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        ticket = make_ticket(demo.bob, kind="bug", urgent=True)
    delivery = WebhookDelivery.objects.get(page__ticket=ticket)
    assert delivery.delivered_at is None and delivery.attempts == 1
    assert "500" in delivery.last_error
    deliver_webhook_task.call_local(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and delivery.attempts == 2
    assert len(webhook.requests) == 2
