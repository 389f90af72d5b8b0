"""Sending from the outbox over real SMTP: retries with back-off, never twice, failures kept."""

import email
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from supportal.intake import outbox
from supportal.intake.models import OutboundEmail
from supportal.intake.notify import queue_mail
from supportal.intake.tasks import send_due_notifications_task, send_notification_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def row(demo) -> OutboundEmail:
    # Written without on-commit execution: the tests drive the job themselves.
    return queue_mail(
        to_address="bob@acmeprint.test",
        template="intake/email/auto_reply_unknown",
        context={},
        user=demo.bob,
    )


def test_notification_is_delivered_over_smtp_with_threading_headers(smtp, row):
    assert send_notification_task.call_local(row.pk) is True
    [(rcpt, raw)] = smtp.messages
    message = email.message_from_bytes(raw)
    assert rcpt == ["bob@acmeprint.test"]
    assert message["Message-ID"] == row.message_id
    assert message.get_content_type() == "multipart/alternative"
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT and row.attempts == 1


def test_failed_send_is_retried_later_and_never_sent_twice(smtp, row, settings):
    settings.SUPPORTAL_NOTIFY_BACKOFF_SECONDS = 30
    smtp.refuse = 1
    attempt = outbox.deliver(row.pk)
    assert attempt == outbox.Attempt(sent=False, retry_in_seconds=30)
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.PENDING and "451" in row.last_error
    assert outbox.deliver(row.pk) == outbox.Attempt(sent=True)
    # A retried or duplicated job finds nothing to do.
    assert outbox.deliver(row.pk) == outbox.Attempt(sent=False)
    send_due_notifications_task.call_local()
    assert len(smtp.messages) == 1


def test_backoff_doubles_with_each_attempt(settings):
    settings.SUPPORTAL_NOTIFY_BACKOFF_SECONDS = 60
    assert [outbox.backoff_seconds(n) for n in (1, 2, 3)] == [60, 120, 240]


def test_after_the_last_attempt_the_failure_is_kept_for_staff_to_retry(smtp, row, settings):
    settings.SUPPORTAL_NOTIFY_MAX_ATTEMPTS = 2
    smtp.refuse = 2
    outbox.deliver(row.pk)
    outbox.deliver(row.pk)
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.FAILED and row.attempts == 2
    assert outbox.deliver(row.pk) == outbox.Attempt(sent=False)  # not retried on its own
    assert outbox.retry(outbound=row) is True
    assert outbox.deliver(row.pk).sent is True
    assert len(smtp.messages) == 1


def test_interrupted_send_is_marked_failed_not_resent(row):
    OutboundEmail.objects.filter(pk=row.pk).update(
        status=OutboundEmail.Status.SENDING, claimed_at=timezone.now() - timedelta(hours=1)
    )
    assert outbox.fail_interrupted() == 1
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.FAILED
    assert mail.outbox == []
