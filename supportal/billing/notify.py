"""Mail to customers about charges: a notice to accept, an exception already decided."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from supportal.core.links import absolute_url

from .models import CustomCodeException, Notice


def send_notice_email(notice_id: int) -> bool:
    notice = Notice.objects.select_related("ticket__requester").filter(pk=notice_id).first()
    if notice is None or not notice.is_pending:
        return False
    ticket = notice.ticket
    send_mail(
        subject=f"[{ticket.number}] {notice.get_kind_display()}: your decision is needed",
        message=(
            f"Hello {ticket.requester.get_short_name()},\n\n"
            "The work on your ticket goes beyond free support. Nothing is charged unless you "
            "accept the estimate in the portal:\n"
            f"{absolute_url(ticket.get_absolute_url())}\n"
        ),
        from_email=None,
        recipient_list=[ticket.requester.email],
    )
    return True


def send_custom_code_exception_email(exception_id: int) -> bool:
    """Claim the notification first so a retried job does not mail twice."""
    claimed = CustomCodeException.objects.filter(
        pk=exception_id, customer_notified_at__isnull=True
    ).update(customer_notified_at=timezone.now())
    if claimed != 1:
        return False
    exception = CustomCodeException.objects.select_related("ticket__requester").get(pk=exception_id)
    ticket = exception.ticket
    send_mail(
        subject=f"[{ticket.number}] We are fixing custom CSS/JavaScript on your site",
        message=(
            f"Hello {ticket.requester.get_short_name()},\n\n"
            "The problem on your ticket is caused by custom CSS or JavaScript added to your "
            f"store. Because it is {exception.get_reason_display().lower()}, we are fixing it "
            "now rather than waiting for your approval. Custom CSS/JS incidents are billed "
            f"per incident: {exception.fee} {settings.SUPPORTAL_BILLING_CURRENCY}. There is no "
            "charge if the problem turns out to be in Pressero.\n\n"
            f"{absolute_url(ticket.get_absolute_url())}\n"
        ),
        from_email=None,
        recipient_list=[ticket.requester.email],
    )
    return True
