"""Which happenings become which webhook events, and what each event says.

A ticket's events come from its audit trail: every change the services make writes an
``AuditEvent``, so one mapping covers the portal, mail, chat, the API and the jobs alike.
Payloads name things and link to them; they carry no internal notes, no credentials and
no message bodies (a receiver that needs more reads the API with a token)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from supportal.accounts.models import User
from supportal.chat.models import Chat
from supportal.core.links import absolute_url
from supportal.tickets.models import AuditEvent, Ticket

from .models import Event

Action = AuditEvent.Action

AUDIT_EVENTS: dict[str, str] = {
    Action.CREATED: Event.TICKET_CREATED,
    Action.REPLIED: Event.REPLY_ADDED,
    Action.STATUS_CHANGED: Event.TICKET_UPDATED,
    Action.AUTO_CLOSED: Event.TICKET_UPDATED,
    Action.ASSIGNED: Event.TICKET_UPDATED,
    Action.REOPENED: Event.TICKET_UPDATED,
    Action.URGENCY_RAISED: Event.TICKET_UPDATED,
    Action.URGENCY_DOWNGRADED: Event.TICKET_UPDATED,
    Action.ENGINEERING_ESCALATED: Event.TICKET_UPDATED,
    Action.ENGINEERING_RETURNED: Event.TICKET_UPDATED,
    Action.SLA_WARNED: Event.SLA_WARNING,
    Action.SLA_BREACHED: Event.SLA_BREACH,
    Action.PAGED: Event.PAGE_SENT,
    Action.BILLING_NOTICE_ACCEPTED: Event.NOTICE_ACCEPTED,
}
RESOLVED_STATUSES = {Ticket.Status.RESOLVED, Ticket.Status.CLOSED}
# What an audit row's data may pass on (the rest stays in the help desk).
SHARED_DATA_KEYS = ("from", "to", "metric", "channel", "urgent")


def event_for_audit(audit: AuditEvent) -> str | None:
    """The webhook event an audit row is, if any. A status change to resolved or closed is
    ``ticket.resolved``; other changes are ``ticket.updated``."""
    event = AUDIT_EVENTS.get(audit.action)
    resolved = audit.action == Action.STATUS_CHANGED and audit.data.get("to") in RESOLVED_STATUSES
    if resolved:
        return Event.TICKET_RESOLVED
    return event


def _person(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.name or user.email, "role": user.role}


def ticket_summary(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "subject": ticket.subject,
        "status": ticket.status,
        "urgent": ticket.urgent,
        "product": ticket.product.slug,
        "organization": ticket.organization.name,
        "assignee": _person(ticket.assignee),
        "url": absolute_url(ticket.get_absolute_url()),
    }


def audit_payload(audit: AuditEvent) -> dict[str, Any]:
    return {
        "ticket": ticket_summary(audit.ticket),
        "actor": _person(audit.actor),
        "change": {key: audit.data[key] for key in SHARED_DATA_KEYS if key in audit.data},
        "at": audit.created_at.isoformat(),
    }


def chat_payload(chat: Chat) -> dict[str, Any]:
    return {
        "chat": {
            "id": chat.pk,
            "subject": chat.subject,
            "product": chat.product.slug,
            "organization": chat.organization.name,
            "customer": _person(chat.customer),
            "url": absolute_url(reverse("chat:detail", args=[chat.pk])),
        },
        "at": chat.queued_at.isoformat(),
    }
