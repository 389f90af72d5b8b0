"""Mail to customers about charges, through the outbox (intake): a notice or quote that
waits for their decision, and a custom CSS/JS fix that proceeds before consent.

Called inside the billing change's transaction: the mail is written with it and sent by the
outbox's job after commit, threaded with the ticket's other mail and with its secrets
redacted; a rolled-back change sends nothing, and a retried send does not mail twice.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from supportal.intake.compose import can_get_mail
from supportal.intake.models import NotificationKind, OutboundEmail
from supportal.intake.notify import notify_user, queue_mail

from .models import CustomCodeException, Notice

TEMPLATES = "billing/email/"


def notify_notice(notice: Notice, *, total: Decimal) -> OutboundEmail | None:
    """The requester's mail that a notice or quote waits for them, unless they muted
    billing mail in their notification settings (the portal shows it either way)."""
    ticket = notice.ticket
    return notify_user(
        user=ticket.requester,
        template=TEMPLATES + "notice_waiting",
        context={
            "notice": notice,
            "total": total,
            "currency": settings.SUPPORTAL_BILLING_CURRENCY,
            "turnaround_days": settings.SUPPORTAL_EXPERT_TURNAROUND_DAYS,
        },
        ticket=ticket,
        kind=NotificationKind.BILLING,
    )


def notify_custom_code_exception(exception: CustomCodeException) -> OutboundEmail | None:
    """Tell the requester a custom CSS/JS fix proceeds before their consent and what it
    costs. Sent whatever their settings: it announces a charge they did not agree to."""
    ticket = exception.ticket
    requester = ticket.requester
    if not can_get_mail(requester):
        return None
    outbound = queue_mail(
        to_address=requester.email,
        template=TEMPLATES + "custom_code_exception",
        context={"exception": exception, "currency": settings.SUPPORTAL_BILLING_CURRENCY},
        ticket=ticket,
        user=requester,
    )
    # The billing console says "customer notified"; the mail leaves with this transaction.
    exception.customer_notified_at = outbound.created_at
    exception.save(update_fields=["customer_notified_at"])
    return outbound
