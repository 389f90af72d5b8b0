"""Notifications on ticket events: who gets what, threading, preferences, no secrets."""

import pytest
from django.core import mail

from supportal.intake.models import NotificationKind, OutboundEmail
from supportal.intake.notify import notify_user
from supportal.intake.preferences import update_preferences
from supportal.intake.tasks import send_notification_task
from supportal.tickets import services
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
PASSWORD = "hunter2-Secret!"


@pytest.fixture
def ticket(demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_ticket(
            demo.alice,
            kind="bug",
            subject="Checkout fails",
            description=f"Log in with admin / {PASSWORD}",
            admin_username="admin",
            admin_password=PASSWORD,
        )


def test_ticket_received_mail_has_number_expectation_and_both_parts(ticket):
    [sent] = mail.outbox
    assert sent.to == ["alice@acmeprint.test"]
    assert sent.subject == f"[{ticket.number}] We received your request: Checkout fails"
    assert ticket.number in sent.body and "We answer within" in sent.body
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html" and ticket.number in html
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"
    assert sent.extra_headers["Message-ID"].endswith("@supportal.localhost>")


def test_ticket_received_mail_is_rendered_by_the_send_job_in_the_ticket_thread(demo):
    ticket = make_ticket(demo.bob, subject="Q", description="?")
    row = OutboundEmail.objects.get(ticket=ticket)
    assert row.body_text == "" and row.status == OutboundEmail.Status.PENDING
    assert send_notification_task.call_local(row.pk) is True
    row.refresh_from_db()
    [sent] = mail.outbox
    assert sent.subject == row.subject == f"[{ticket.number}] We received your request: Q"
    assert "We answer within" in sent.body and row.body_text == sent.body
    assert sent.extra_headers["In-Reply-To"] == ticket.email_thread.root_message_id
    assert row.status == OutboundEmail.Status.SENT and row.deferred is None


def test_ticket_received_mail_muted_before_it_is_sent_is_not_sent(demo):
    ticket = make_ticket(demo.bob, subject="Q", description="?")
    row = OutboundEmail.objects.get(ticket=ticket)
    update_preferences(
        user=demo.bob,
        receive=set(NotificationKind.values) - {NotificationKind.TICKET_RECEIVED},
        phone="",
    )
    assert send_notification_task.call_local(row.pk) is False
    row.refresh_from_db()
    assert mail.outbox == [] and row.status == OutboundEmail.Status.SKIPPED
    assert send_notification_task.call_local(row.pk) is False  # and stays unsent


def test_staff_reply_mail_threads_under_the_ticket_and_redacts_credentials(
    demo, ticket, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_reply(
            ticket=ticket, author=demo.agent, body=f"I logged in with **{PASSWORD}**, fixed."
        )
    [sent] = mail.outbox  # new → open is not announced separately
    first = OutboundEmail.objects.filter(ticket=ticket).earliest("created_at")
    assert sent.subject == f"[{ticket.number}] Re: Checkout fails"
    assert sent.extra_headers["References"] == first.references
    assert sent.extra_headers["In-Reply-To"] == ticket.email_thread.root_message_id
    everything = sent.subject + sent.body + sent.alternatives[0][0]
    assert PASSWORD not in everything and "[redacted]" in sent.body
    assert "<strong>[redacted]</strong>" in sent.alternatives[0][0]


def test_internal_notes_and_customer_replies_send_nothing(
    demo, ticket, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_reply(ticket=ticket, author=demo.agent, body="note", internal=True)
        services.add_reply(ticket=ticket, author=demo.alice, body="more info")
    assert mail.outbox == []


def test_status_change_is_mailed_to_the_requester(demo, ticket, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(ticket=ticket, actor=demo.agent, status="resolved")
    [sent] = mail.outbox
    assert sent.subject == f"[{ticket.number}] Resolved: Checkout fails"
    assert "closes by itself" in sent.body


def test_muted_kind_is_not_sent_and_others_still_are(demo, django_capture_on_commit_callbacks):
    update_preferences(
        user=demo.bob,
        receive=set(NotificationKind.values) - {NotificationKind.TICKET_RECEIVED},
        phone="",
    )
    with django_capture_on_commit_callbacks(execute=True):
        ticket = make_ticket(demo.bob, subject="Q", description="?")
        services.change_status(ticket=ticket, actor=demo.agent, status="pending_customer")
    assert [m.subject for m in mail.outbox] == [f"[{ticket.number}] Pending customer: Q"]


def test_notify_user_is_the_entry_point_for_other_apps(
    demo, ticket, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        row = notify_user(
            user=demo.alice,
            template="intake/email/status_changed",
            context={"old_status": "Open", "new_status": "Pending customer"},
            ticket=ticket,
            kind=NotificationKind.BILLING,
        )
    assert row is not None and mail.outbox[0].subject.startswith(f"[{ticket.number}]")
    update_preferences(user=demo.alice, receive=[], phone="")
    assert notify_user(user=demo.alice, template="x", ticket=ticket, kind="billing") is None
