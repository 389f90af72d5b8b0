"""What a notification says: its words rendered from templates, its thread headers, and
the ticket's secrets blanked out. notify.py writes mails with it; outbox.py renders with it
the mails written to be rendered when sent (see :func:`render_deferred`)."""

from __future__ import annotations

import re
import secrets
from typing import Any, cast

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from supportal.accounts.models import User
from supportal.core.languages import speaking_to
from supportal.core.links import absolute_url
from supportal.tickets.models import Ticket
from supportal.tickets.services import CREDENTIAL_FIELDS

from .models import NotificationMute, OutboundEmail, TicketThread

REDACTED = "[redacted]"
# Credential values shorter than this are too likely to be ordinary words to blank out.
MIN_SECRET_LENGTH = 4


def support_domain() -> str:
    return settings.SUPPORTAL_SUPPORT_ADDRESS.rpartition("@")[2] or "supportal.localhost"


def new_message_id(label: str = "n") -> str:
    return f"<{label}.{timezone.now():%Y%m%d%H%M%S}.{secrets.token_hex(8)}@{support_domain()}>"


def thread_for(ticket: Ticket, *, root_message_id: str | None = None) -> TicketThread:
    """The ticket's thread root: the customer's first mail when it came by email."""
    cached = Ticket.email_thread.related.get_cached_value(ticket, default=None)
    if cached is not None:
        return cast(
            TicketThread, cached
        )  # set by start_thread (or an earlier read) on this instance
    thread, _ = TicketThread.objects.get_or_create(
        ticket=ticket,
        defaults={"root_message_id": root_message_id or new_message_id(f"ticket-{ticket.pk}")},
    )
    return thread


def tag_subject(ticket: Ticket | None, subject: str) -> str:
    subject = " ".join(subject.split())  # one line: no header injection through a subject
    if ticket is None or not ticket.number or f"[{ticket.number}]" in subject:
        return subject[:300]
    return f"[{ticket.number}] {subject}"[:300]


def redact(text: str, ticket: Ticket | None) -> str:
    """Blank out the ticket's credentials wherever they appear (e.g. quoted in a reply)."""
    if ticket is None or not ticket.has_credentials:
        return text
    for name in CREDENTIAL_FIELDS:
        value = (getattr(ticket, name, "") or "").strip()
        if len(value) >= MIN_SECRET_LENGTH:
            text = re.sub(re.escape(value), REDACTED, text, flags=re.IGNORECASE)
    return text


def is_muted(user: User, kind: str) -> bool:
    return NotificationMute.objects.filter(user=user, kind=kind).exists()


def can_get_mail(user: User) -> bool:
    return user.is_active and bool(user.email)


def may_receive(user: User, kind: str) -> bool:
    return can_get_mail(user) and not is_muted(user, kind)


def _render(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    text = render_to_string(f"{template}.txt", context).strip() + "\n"
    try:
        html: str = render_to_string(f"{template}.html", context)
    except TemplateDoesNotExist:
        html = ""
    return subject, text, html


def _base_context(ticket: Ticket | None) -> dict[str, Any]:
    context: dict[str, Any] = {
        "portal_url": absolute_url("/"),
        "new_ticket_url": absolute_url("/tickets/new/"),
        "preferences_url": absolute_url("/account/notifications/"),
        "support_address": settings.SUPPORTAL_SUPPORT_ADDRESS,
    }
    if ticket is not None:
        context["ticket"] = ticket
        context["ticket_url"] = absolute_url(ticket.get_absolute_url())
    return context


def render_into(
    outbound: OutboundEmail,
    *,
    context: dict[str, Any],
    ticket: Ticket | None,
    user: User | None,
    in_reply_to: str = "",
    language: str = "",
) -> None:
    """Fill a mail's subject, bodies and thread headers (the row is not saved here)."""
    full_context = {**_base_context(ticket), "recipient": user, **context}
    # Each recipient reads the mail in their own language (``language``: someone without an
    # account yet, such as an invitee).
    with speaking_to(user, language=language):
        subject, text, html = _render(outbound.template, full_context)
    references = ""
    if ticket is not None:
        root = thread_for(ticket).root_message_id
        in_reply_to = in_reply_to or root
        references = root if root == in_reply_to else f"{root} {in_reply_to}"
    elif in_reply_to:
        references = in_reply_to
    outbound.subject = redact(tag_subject(ticket, subject), ticket)
    outbound.body_text = redact(text, ticket)
    outbound.body_html = redact(html, ticket)
    outbound.in_reply_to = in_reply_to
    outbound.references = references


def render_deferred(outbound: OutboundEmail) -> bool:
    """Render a mail written to be rendered when sent (``outbound.deferred`` holds the
    preference kind and the template's values) and save it. False, and nothing rendered,
    when the recipient can no longer get it: muted since, deactivated, or no address."""
    deferred = outbound.deferred or {}
    user = outbound.user
    if user is None or not may_receive(user, deferred.get("kind", "")):
        return False
    render_into(outbound, context=deferred.get("context", {}), ticket=outbound.ticket, user=user)
    outbound.deferred = None
    outbound.save(
        update_fields=["subject", "body_text", "body_html", "in_reply_to", "references", "deferred"]
    )
    return True
