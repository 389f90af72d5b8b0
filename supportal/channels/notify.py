"""Outgoing notifications: render a mail into the outbox; a job sends it (see outbox.py).

Other apps call :func:`notify_user`. Example, from billing when a quote waits::

    from supportal.channels.notify import notify_user
    from supportal.channels.models import NotificationKind

    notify_user(
        user=ticket.requester,
        template="billing/email/notice_waiting",   # renders _subject.txt, .txt and .html
        context={"notice": notice},
        ticket=ticket,                             # threads it and tags [SUP-1042]
        kind=NotificationKind.BILLING,             # the user's preference that governs it
    )

Call it inside your transaction: the row is written with your change and the send job is
enqueued on commit, so a rolled-back change sends nothing. Secrets of the ticket are
redacted from every notification whatever the template puts in.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from supportal.accounts.models import User
from supportal.sla.notify import absolute_url
from supportal.sla.services import expectation_for
from supportal.tickets.models import Reply, Ticket
from supportal.tickets.services import CREDENTIAL_FIELDS

from . import tasks
from .models import NotificationKind, NotificationMute, OutboundEmail, TicketThread

EMAIL_TEMPLATES = "channels/email/"
REDACTED = "[redacted]"
# Credential values shorter than this are too likely to be ordinary words to blank out.
MIN_SECRET_LENGTH = 4


def support_domain() -> str:
    return settings.SUPPORTAL_SUPPORT_ADDRESS.rpartition("@")[2] or "supportal.localhost"


def new_message_id(label: str = "n") -> str:
    return f"<{label}.{timezone.now():%Y%m%d%H%M%S}.{secrets.token_hex(8)}@{support_domain()}>"


def start_thread(ticket: Ticket) -> TicketThread:
    """A ticket just filed (in this transaction) gets its thread; nobody else can have."""
    return TicketThread.objects.create(
        ticket=ticket, root_message_id=new_message_id(f"ticket-{ticket.pk}")
    )


def thread_for(ticket: Ticket, *, root_message_id: str | None = None) -> TicketThread:
    """The ticket's thread root: the customer's first mail when it came by email."""
    cached = Ticket.email_thread.related.get_cached_value(ticket, default=None)
    if cached is not None:
        return cached  # set by start_thread (or an earlier read) on this instance
    thread, _ = TicketThread.objects.get_or_create(
        ticket=ticket,
        defaults={"root_message_id": root_message_id or new_message_id(f"ticket-{ticket.pk}")},
    )
    return thread


def adopt_thread(*, ticket: Ticket, message_id: str) -> None:
    """Make a customer's mail the root of the ticket's thread, including notifications
    already in the outbox for it (written by the event receivers in this transaction)."""
    thread = thread_for(ticket, root_message_id=message_id)
    if thread.root_message_id == message_id:
        return
    TicketThread.objects.filter(pk=thread.pk).update(root_message_id=message_id)
    OutboundEmail.objects.filter(ticket=ticket, status=OutboundEmail.Status.PENDING).update(
        in_reply_to=message_id, references=message_id
    )


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


def _render(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    text = render_to_string(f"{template}.txt", context).strip() + "\n"
    try:
        html = render_to_string(f"{template}.html", context)
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


def queue_mail(
    *,
    to_address: str,
    template: str,
    context: dict[str, Any],
    ticket: Ticket | None = None,
    user: User | None = None,
    auto_reply: bool = False,
    in_reply_to: str = "",
) -> OutboundEmail:
    """Render a mail into the outbox and send it after commit. No preference check."""
    full_context = {**_base_context(ticket), "recipient": user, **context}
    subject, text, html = _render(template, full_context)
    references = ""
    if ticket is not None:
        root = thread_for(ticket).root_message_id
        in_reply_to = in_reply_to or root
        references = root if root == in_reply_to else f"{root} {in_reply_to}"
    elif in_reply_to:
        references = in_reply_to
    outbound = OutboundEmail.objects.create(
        user=user,
        ticket=ticket,
        template=template[:100],
        to_address=to_address,
        subject=redact(tag_subject(ticket, subject), ticket),
        body_text=redact(text, ticket),
        body_html=redact(html, ticket),
        message_id=new_message_id(ticket.number.lower() if ticket and ticket.number else "n"),
        in_reply_to=in_reply_to,
        references=references,
        auto_reply=auto_reply,
    )
    transaction.on_commit(lambda: tasks.send_notification_task(outbound.pk))
    return outbound


def notify_user(
    *,
    user: User,
    template: str,
    context: dict[str, Any] | None = None,
    ticket: Ticket | None = None,
    kind: str = NotificationKind.REPLY,
) -> OutboundEmail | None:
    """Mail a user unless they muted this kind of notification (or cannot get mail).

    ``template`` names three templates: ``<template>_subject.txt``, ``<template>.txt`` and
    (optional) ``<template>.html``. The context also holds ``ticket``, ``ticket_url``,
    ``portal_url``, ``preferences_url`` and ``recipient``. Returns the outbox row, or
    None when nothing is sent."""
    if not user.is_active or not user.email or is_muted(user, kind):
        return None
    return queue_mail(
        to_address=user.email, template=template, context=context or {}, ticket=ticket, user=user
    )


# --- The ticket notifications, called by receivers.py on the ticket events ---------------


def notify_ticket_opened(*, ticket: Ticket) -> OutboundEmail | None:
    """Tell the requester we have it: its number and when to expect an answer."""
    start_thread(ticket)
    if ticket.follow_up_of_id:
        return notify_user(
            user=ticket.requester,
            template=EMAIL_TEMPLATES + "follow_up_created",
            context={"original": ticket.follow_up_of},
            ticket=ticket,
            kind=NotificationKind.FOLLOW_UP,
        )
    expectation = expectation_for(organization=ticket.organization, now=timezone.now())
    return notify_user(
        user=ticket.requester,
        template=EMAIL_TEMPLATES + "ticket_received",
        context={
            "expectation": expectation.message,
            "from_email": ticket.channel == Ticket.Channel.EMAIL,
            "from_phone": ticket.channel == Ticket.Channel.PHONE,
        },
        ticket=ticket,
        kind=NotificationKind.TICKET_RECEIVED,
    )


def notify_reply_added(*, ticket: Ticket, reply: Reply) -> OutboundEmail | None:
    """A public staff reply goes to the requester. Notes and customers' own replies do not."""
    if reply.internal or not reply.author.is_support_staff or ticket.is_closed:
        return None
    return notify_user(
        user=ticket.requester,
        template=EMAIL_TEMPLATES + "staff_reply",
        context={"reply": reply, "body": redact(reply.body, ticket)},
        ticket=ticket,
        kind=NotificationKind.REPLY,
    )


def notify_status_changed(
    *, ticket: Ticket, old_status: str, new_status: str, actor: User | None
) -> OutboundEmail | None:
    """Status news for the requester, except their own doing and new → open (the staff
    reply that caused it already has its own mail)."""
    if actor is not None and actor.pk == ticket.requester_id:
        return None
    if (old_status, new_status) == (Ticket.Status.NEW, Ticket.Status.OPEN):
        return None
    return notify_user(
        user=ticket.requester,
        template=EMAIL_TEMPLATES + "status_changed",
        context={
            "old_status": Ticket.Status(old_status).label,
            "new_status": Ticket.Status(new_status).label,
            "is_resolved": new_status == Ticket.Status.RESOLVED,
            "is_closed": new_status == Ticket.Status.CLOSED,
            "auto_close_days": settings.SUPPORTAL_AUTO_CLOSE_DAYS,
        },
        ticket=ticket,
        kind=NotificationKind.STATUS,
    )
