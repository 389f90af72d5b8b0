"""Send what the outbox holds: claim a row, send it once, record the outcome.

A row is claimed with a conditional UPDATE (pending → sending) before anything goes out,
so two consumers or a retried job never send the same mail twice. A failed attempt puts
the row back to pending with a later ``next_attempt_at`` (doubling each time); after
``SUPPORTAL_NOTIFY_MAX_ATTEMPTS`` it stays failed, where staff see it and can retry.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import compose, tasks
from .models import OutboundEmail
from .reply_address import reply_address

log = logging.getLogger(__name__)
# A row left "sending" this long was interrupted mid-send: staff decide whether to resend.
STALE_SENDING_MINUTES = 15


@dataclass(frozen=True)
class Attempt:
    sent: bool
    retry_in_seconds: int | None = None  # None: nothing more to do


def _message(outbound: OutboundEmail) -> EmailMultiAlternatives:
    headers = {
        "Message-ID": outbound.message_id,
        # RFC 3834: other systems must not auto-answer us; Outlook's equivalent too.
        "Auto-Submitted": "auto-replied" if outbound.auto_reply else "auto-generated",
        "X-Auto-Response-Suppress": "All",
    }
    if outbound.ticket_id is not None:
        # Replies must come back to the address only this recipient was given.
        headers["Reply-To"] = reply_address(
            ticket_id=outbound.ticket_id, address=outbound.to_address
        )
    if outbound.in_reply_to:
        headers["In-Reply-To"] = outbound.in_reply_to
    if outbound.references:
        headers["References"] = outbound.references
    message = EmailMultiAlternatives(
        subject=outbound.subject,
        body=outbound.body_text,
        from_email=None,
        to=[outbound.to_address],
        headers=headers,
    )
    if outbound.body_html:
        message.attach_alternative(outbound.body_html, "text/html")
    return message


def backoff_seconds(attempts: int) -> int:
    backoff: int = settings.SUPPORTAL_NOTIFY_BACKOFF_SECONDS
    return int(backoff * 2 ** max(0, attempts - 1))


# Mails whose body is a key (a single-use link that makes an account): once sent or given
# up on, the outbox keeps no copy, so reading the table later yields no working link.
SECRET_BODY_TEMPLATES = frozenset({"accounts/email/invitation"})
REDACTED_BODY = "(Removed once sent: this mail held a single-use link.)"


def _forget_secret_body(outbound: OutboundEmail) -> dict[str, str]:
    if outbound.template in SECRET_BODY_TEMPLATES:
        return {"body_text": REDACTED_BODY, "body_html": ""}
    return {}


def deliver(outbound_id: int, *, now: datetime | None = None) -> Attempt:
    """One attempt at sending one outbox row. Safe to call any number of times."""
    now = now or timezone.now()
    claimed = OutboundEmail.objects.filter(
        pk=outbound_id, status=OutboundEmail.Status.PENDING
    ).update(status=OutboundEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return Attempt(sent=False)  # sent, being sent, or given up on: not ours to send
    outbound = OutboundEmail.objects.select_related("user", "ticket").get(pk=outbound_id)
    if outbound.deferred is not None and not compose.render_deferred(outbound):
        OutboundEmail.objects.filter(pk=outbound.pk).update(status=OutboundEmail.Status.SKIPPED)
        return Attempt(sent=False)
    try:
        _message(outbound).send()
    except (smtplib.SMTPException, OSError, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:1000]
        log.warning(
            "notification %s failed (attempt %s): %s", outbound.pk, outbound.attempts, error
        )
        if outbound.attempts >= settings.SUPPORTAL_NOTIFY_MAX_ATTEMPTS:
            OutboundEmail.objects.filter(pk=outbound.pk).update(
                status=OutboundEmail.Status.FAILED,
                last_error=error,
                **_forget_secret_body(outbound),
            )
            return Attempt(sent=False)
        delay = backoff_seconds(outbound.attempts)
        OutboundEmail.objects.filter(pk=outbound.pk).update(
            status=OutboundEmail.Status.PENDING,
            last_error=error,
            next_attempt_at=now + timedelta(seconds=delay),
        )
        return Attempt(sent=False, retry_in_seconds=delay)
    OutboundEmail.objects.filter(pk=outbound.pk).update(
        status=OutboundEmail.Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        **_forget_secret_body(outbound),
    )
    return Attempt(sent=True)


def due_ids(*, now: datetime | None = None, limit: int = 200) -> list[int]:
    """Pending rows whose time has come: the safety net when a scheduled job was lost."""
    now = now or timezone.now()
    return list(
        OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def fail_interrupted(*, now: datetime | None = None) -> int:
    """Rows stuck in "sending" (a consumer died mid-send) become failed, for staff to judge:
    resending blindly could deliver a mail twice."""
    cutoff = (now or timezone.now()) - timedelta(minutes=STALE_SENDING_MINUTES)
    return OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=cutoff
    ).update(
        status=OutboundEmail.Status.FAILED,
        last_error="Interrupted while sending; it may or may not have been delivered.",
    )


def retry(*, outbound: OutboundEmail) -> bool:
    """Staff send a failed notification again. True when it was queued."""
    with transaction.atomic():
        queued = OutboundEmail.objects.filter(
            pk=outbound.pk, status=OutboundEmail.Status.FAILED
        ).update(status=OutboundEmail.Status.PENDING, next_attempt_at=timezone.now())
        if queued:
            transaction.on_commit(lambda: tasks.send_notification_task(outbound.pk))
    return bool(queued)
