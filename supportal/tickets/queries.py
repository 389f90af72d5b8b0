"""Reads of tickets with the permission filter built in."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from supportal.accounts.models import User
from supportal.core.pagination import Page, keyset_page

from .access import tickets_visible_to
from .models import Attachment, AuditEvent, Ticket

QUEUE_ORDER = ["-urgent", "received_at", "id"]
LIST_ORDER = ["-received_at", "-id"]


@dataclass(frozen=True)
class TicketFilters:
    status: str | None = None
    product: str | None = None
    urgent: bool | None = None
    region: str | None = None
    assignee: str | None = None  # a user id, "me" or "none"
    mine: bool = False  # only tickets the user filed (a customer admin's "mine" scope)
    escalated: bool = False  # only tickets waiting on the programming staff


def _filtered(qs: QuerySet[Ticket], user: User, filters: TicketFilters) -> QuerySet[Ticket]:
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.product:
        qs = qs.filter(product__slug=filters.product)
    if filters.urgent is not None:
        qs = qs.filter(urgent=filters.urgent)
    if filters.region:
        qs = qs.filter(organization__support_region__code=filters.region)
    if filters.assignee == "me":
        qs = qs.filter(assignee=user)
    elif filters.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif filters.assignee and filters.assignee.isdigit():
        qs = qs.filter(assignee_id=int(filters.assignee))
    if filters.mine:
        qs = qs.filter(requester=user)
    if filters.escalated:
        qs = qs.filter(engineering_escalated_at__isnull=False)
    return qs


def ticket_page(
    user: User, filters: TicketFilters, cursor: str | None = None, limit: int | None = None
) -> Page:
    """The tickets the user may see, newest first."""
    qs = _filtered(tickets_visible_to(user), user, filters)
    return keyset_page(
        qs, order=LIST_ORDER, cursor=cursor, limit=limit or settings.SUPPORTAL_PAGE_SIZE
    )


def queue_page(
    user: User, filters: TicketFilters, cursor: str | None = None, limit: int | None = None
) -> Page:
    """Open tickets in working order: urgent first, then first in, first out."""
    # "in_queue IN (true)" rather than "=True": Django writes the latter as a bare column,
    # which SQLite's planner does not match to the (in_queue, ...) index.
    # The page shows each organization's region and runs its SLA clock on that region's
    # calendar: fetched in the same query, or it is one query per row.
    qs = (
        tickets_visible_to(user)
        .select_related("organization__support_region")
        .filter(in_queue__in=[True])
    )
    if filters.status:
        qs = qs.filter(status__in=[s for s in Ticket.OPEN_STATUSES if s == filters.status])
    qs = _filtered(qs, user, TicketFilters(**{**filters.__dict__, "status": None}))
    return keyset_page(
        qs, order=QUEUE_ORDER, cursor=cursor, limit=limit or settings.SUPPORTAL_PAGE_SIZE
    )


def ticket_attachments(ticket: Ticket) -> QuerySet[Attachment]:
    """Files sent with the ticket itself (reply files are listed under their reply)."""
    return ticket.attachments.filter(reply__isnull=True).order_by("created_at", "id")


def audit_trail(ticket: Ticket) -> QuerySet[AuditEvent]:
    # The actors are a handful of people: read once each, not once per event.
    return ticket.audit_events.prefetch_related("actor").order_by("created_at", "id")


@dataclass(frozen=True)
class RelatedTickets:
    follow_up_of: Ticket | None
    follow_ups: list[Ticket]


def related_tickets(user: User, ticket: Ticket) -> RelatedTickets:
    """The ticket this one follows up, and its follow-ups, as far as the user may see them."""
    visible = tickets_visible_to(user)
    parent = None
    if ticket.follow_up_of_id is not None:
        parent = visible.filter(pk=ticket.follow_up_of_id).first()
    # The follow-ups' ids first, by the follow-up index alone: asked together with the
    # customer's own filters, a prepared statement's generic plan walked all of the
    # requester's tickets instead (35 ms for a customer with 9,000 tickets).
    ids = list(Ticket.objects.filter(follow_up_of=ticket).values_list("pk", flat=True))
    children = list(visible.filter(pk__in=ids).order_by("received_at", "id")) if ids else []
    return RelatedTickets(follow_up_of=parent, follow_ups=children)
