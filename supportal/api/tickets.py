"""Tickets: filing, reading, replies, the queue and the staff actions on a ticket.

Each route authorises (visibility → 404, role → 403), parses, calls a service or query
from ``supportal.tickets`` and renders. Services' errors become 403/409/422 in
``supportal.api.errors``."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.errors import HttpError

from supportal.accounts.access import require_staff
from supportal.core.pagination import Page, keyset_page
from supportal.tickets import services
from supportal.tickets.access import (
    can_file_tickets,
    can_read_as_staff,
    can_work_tickets,
    get_ticket_for_user,
    replies_visible_to,
)
from supportal.tickets.models import Ticket
from supportal.tickets.queries import TicketFilters, queue_page, ticket_page

from .schemas import (
    CHANGE_ERRORS,
    AssignIn,
    CredentialsOut,
    DowngradeIn,
    ErrorOut,
    PageQuery,
    QueueQuery,
    RaiseUrgencyIn,
    ReplyCreatedOut,
    ReplyIn,
    ReplyPageOut,
    RuleErrorOut,
    StatusIn,
    TicketIn,
    TicketListQuery,
    TicketOut,
    TicketPageOut,
    ValidationErrorOut,
)
from .security import caller

router = Router(tags=["tickets"])

REPLY_ORDER = ["created_at", "id"]


@router.post(
    "/tickets",
    response={
        201: TicketOut,
        401: ErrorOut,
        403: ErrorOut,
        409: RuleErrorOut,
        422: ValidationErrorOut,
    },
    summary="File a ticket (customers)",
)
def create_ticket(request: HttpRequest, payload: TicketIn) -> Status[Ticket]:
    user = caller(request)
    if not can_file_tickets(user):
        raise HttpError(403, "Only customers file tickets.")
    fields = payload.model_dump(mode="json")
    fields["urgent_reason"] = fields["urgent_reason"] or ""
    draft = services.TicketDraft(**fields)
    ticket = services.open_ticket(requester=user, draft=draft, channel=Ticket.Channel.API)
    return Status(201, ticket)


@router.get(
    "/tickets",
    response={200: TicketPageOut, 401: ErrorOut, 422: ValidationErrorOut},
    summary="The tickets the caller may see, newest first",
)
def list_tickets(request: HttpRequest, query: Query[TicketListQuery]) -> Page:
    filters = TicketFilters(status=query.status, product=query.product, urgent=query.urgent)
    return ticket_page(caller(request), filters, cursor=query.cursor, limit=query.limit)


@router.get(
    "/tickets/{ticket_id}",
    response={200: TicketOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="One ticket",
)
def get_ticket(request: HttpRequest, ticket_id: int) -> Ticket:
    return get_ticket_for_user(caller(request), ticket_id)


@router.post(
    "/tickets/{ticket_id}/replies",
    response={201: ReplyCreatedOut, **CHANGE_ERRORS},
    summary="Reply, or add an internal note (staff)",
)
def create_reply(
    request: HttpRequest, ticket_id: int, payload: ReplyIn
) -> Status[dict[str, int | None]]:
    user = caller(request)
    ticket = get_ticket_for_user(user, ticket_id)
    if payload.internal and not can_work_tickets(user):
        raise HttpError(403, "Only support staff write internal notes.")
    result = services.add_reply(
        ticket=ticket,
        author=user,
        body=payload.body,
        internal=payload.internal,
        seen_reply_id=payload.seen_reply_id,
    )
    follow_up = result.follow_up
    return Status(
        201,
        {
            "id": result.reply.pk,
            "ticket_id": ticket.pk,
            "follow_up_ticket_id": follow_up.pk if follow_up else None,
        },
    )


@router.get(
    "/tickets/{ticket_id}/replies",
    response={200: ReplyPageOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="A ticket's replies, oldest first (internal notes for staff only)",
)
def list_replies(request: HttpRequest, ticket_id: int, query: Query[PageQuery]) -> Page:
    user = caller(request)
    ticket = get_ticket_for_user(user, ticket_id)
    return keyset_page(
        replies_visible_to(user, ticket),
        order=REPLY_ORDER,
        cursor=query.cursor,
        limit=query.limit or settings.SUPPORTAL_PAGE_SIZE,
    )


@router.post(
    "/tickets/{ticket_id}/status",
    response={200: TicketOut, **CHANGE_ERRORS},
    summary="Move a ticket along its lifecycle (staff)",
)
def change_status(request: HttpRequest, ticket_id: int, payload: StatusIn) -> Ticket:
    user = caller(request)
    ticket = get_ticket_for_user(user, ticket_id)
    require_staff(user, "change a ticket's status")
    return services.change_status(ticket=ticket, actor=user, status=payload.status)


@router.post(
    "/tickets/{ticket_id}/downgrade",
    response={200: TicketOut, **CHANGE_ERRORS},
    summary="Take the urgent flag off a ticket, with a note the customer sees (staff)",
)
def downgrade(request: HttpRequest, ticket_id: int, payload: DowngradeIn) -> Ticket:
    user = caller(request)
    ticket = get_ticket_for_user(user, ticket_id)
    require_staff(user, "change a ticket's urgency")
    return services.downgrade_urgency(ticket=ticket, actor=user, note=payload.note)


@router.post(
    "/tickets/{ticket_id}/urgent",
    response={200: TicketOut, **CHANGE_ERRORS},
    summary="Mark a ticket urgent, with a reason and a note the customer sees (staff); "
    "after hours this pages on-call",
)
def raise_urgency(request: HttpRequest, ticket_id: int, payload: RaiseUrgencyIn) -> Ticket:
    user = caller(request)
    ticket = get_ticket_for_user(user, ticket_id)
    require_staff(user, "change a ticket's urgency")
    return services.raise_urgency(
        ticket=ticket, actor=user, reason=payload.reason, note=payload.note
    )


@router.post(
    "/tickets/{ticket_id}/assign",
    response={200: TicketOut, **CHANGE_ERRORS},
    summary="Assign a ticket to a member of the support staff, or to nobody (staff)",
)
def assign(request: HttpRequest, ticket_id: int, payload: AssignIn) -> Ticket:
    user = caller(request)
    ticket = get_ticket_for_user(user, ticket_id)
    require_staff(user, "assign tickets")
    expected = services.UNCHECKED
    if "expected_assignee_id" in payload.model_fields_set:
        expected = payload.expected_assignee_id
    return services.assign_ticket(
        ticket=ticket, actor=user, assignee_id=payload.assignee_id, expected_assignee_id=expected
    )


@router.get(
    "/tickets/{ticket_id}/credentials",
    response={
        200: CredentialsOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="The ticket's site credentials in clear (staff; every read is audit-logged)",
)
def credentials(request: HttpRequest, ticket_id: int) -> dict[str, str]:
    user = caller(request)
    ticket = get_ticket_for_user(user, ticket_id)
    require_staff(user, "read credentials")
    return services.reveal_credentials(ticket=ticket, actor=user)


@router.get(
    "/queue",
    response={200: TicketPageOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut},
    summary="Open tickets in working order: urgent first, then first in, first out (staff)",
)
def queue(request: HttpRequest, query: Query[QueueQuery]) -> Page:
    user = caller(request)
    if not can_read_as_staff(user):
        raise HttpError(403, "Only support staff work the queue.")
    filters = TicketFilters(
        status=query.status,
        product=query.product,
        urgent=query.urgent,
        region=query.region,
        assignee=query.assignee,
    )
    return queue_page(user, filters, cursor=query.cursor, limit=query.limit)
