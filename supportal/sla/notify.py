"""Mail and webhooks for on-call pages. Secrets never leave in these. (The SLA warning mail
is written by intake, on ``events.warning_claimed``.)"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from supportal.core.languages import speaking_to
from supportal.core.links import absolute_url
from supportal.core.net import safe_urlopen

from .models import Page, WebhookDelivery

log = logging.getLogger(__name__)


def notify_on_call(page_id: int) -> list[int]:
    """Email the person paged and queue the page webhook. Returns webhook delivery ids."""
    page = Page.objects.select_related("ticket__organization", "current_user").get(pk=page_id)
    ticket = page.ticket
    ack = absolute_url(reverse("sla:acknowledge", args=[page.ack_token]))
    if page.current_user is not None:
        with speaking_to(page.current_user):  # in the language of the person paged
            subject = _("[%(number)s] URGENT after hours: %(subject)s") % {
                "number": ticket.number,
                "subject": ticket.subject,
            }
            arrived = _(
                "An urgent ticket from %(organization)s arrived outside working hours: %(reason)s."
            ) % {
                "organization": ticket.organization.name,
                "reason": ticket.get_urgent_reason_display() or _("urgent"),
            }
            acknowledge = _("Acknowledge this page (stops the repeats and escalation):")
            attempts = _("Notification %(attempts)s; escalation level %(level)s.") % {
                "attempts": page.attempts,
                "level": page.escalation_level,
            }
            send_mail(
                subject,
                (
                    f"{arrived}\n\n"
                    f"{ticket.subject}\n{absolute_url(ticket.get_absolute_url())}\n\n"
                    f"{acknowledge}\n{ack}\n\n"
                    f"{attempts}"
                ),
                None,
                [page.current_user.email],
            )
    if not settings.SUPPORTAL_ONCALL_WEBHOOK_URL:
        return []
    delivery = WebhookDelivery.objects.create(
        page=page,
        url=settings.SUPPORTAL_ONCALL_WEBHOOK_URL,
        payload={
            "event": "page",
            "ticket": {
                "id": ticket.pk,
                "number": ticket.number,
                "subject": ticket.subject,
                "organization": ticket.organization.name,
                "urgent_reason": ticket.urgent_reason,
                "url": absolute_url(ticket.get_absolute_url()),
            },
            "on_call": page.current_user.email if page.current_user else None,
            "attempt": page.attempts,
            "escalation_level": page.escalation_level,
            "acknowledge_url": ack,
            "sent_at": timezone.now().isoformat(),
        },
    )
    return [delivery.pk]


def sign(body: bytes) -> str:
    secret = settings.SUPPORTAL_ONCALL_WEBHOOK_SECRET.encode()
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def deliver_webhook(delivery_id: int) -> bool:
    """One delivery attempt. True when delivered (now or before)."""
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    if delivery.delivered_at is not None:
        return True
    body = json.dumps(delivery.payload, sort_keys=True).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL comes from settings, http(s) only
        delivery.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Supportal-Webhook/1",
            "X-Supportal-Signature": sign(body),
            "X-Supportal-Delivery": str(delivery.pk),
        },
    )
    delivery.attempts += 1
    try:
        if not delivery.url.startswith(("http://", "https://")):
            raise ValueError("webhook URL must be http or https")
        with safe_urlopen(request, timeout=10) as response:
            ok: bool = 200 <= response.status < 300
            error = "" if ok else f"HTTP {response.status}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        ok, error = False, type(exc).__name__ + ": " + str(exc)[:200]
    if ok:
        delivery.delivered_at = timezone.now()
        delivery.last_error = ""
    else:
        delivery.last_error = error
        log.warning(
            "page webhook %s failed (attempt %s): %s", delivery.pk, delivery.attempts, error
        )
    delivery.save(update_fields=["attempts", "delivered_at", "last_error"])
    return ok
