"""Billing: time on tickets, professional-services notices and consent, confirmed bugs,
expert-service hours. Thin over billing's ``timelog``, ``notices`` and ``overrides``; money
is a decimal string."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import PlainSerializer, WithJsonSchema

from supportal.accounts.access import require_staff
from supportal.accounts.models import User
from supportal.billing import expert, ledger, notices, overrides, queries, timelog, turntime
from supportal.billing.access import get_notice_for_customer
from supportal.billing.models import Category, Delivery, Notice, TimeEntry
from supportal.tickets.access import get_ticket_for_user
from supportal.tickets.models import Ticket

from .schemas import ErrorOut, RuleErrorOut, Timestamp, ValidationErrorOut
from .security import caller

router = Router(tags=["billing"])

Money = Annotated[
    object,
    PlainSerializer(lambda value: f"{value:.2f}", return_type=str),
    WithJsonSchema({"type": "string", "example": "125.00"}),
]
BillingCategory = Annotated[Category, WithJsonSchema({"type": "string", "enum": Category.values})]


class BillingTimeIn(Schema):
    minutes: int = Field(ge=1, le=timelog.MAX_MINUTES_PER_ENTRY)
    category: BillingCategory
    note: str = Field("", max_length=2000)
    work_date: date | None = Field(None, description="Vendor-local date; default today.")


class BillingTimeOut(Schema):
    id: int
    ticket_id: int
    minutes: int
    category: str
    note: str
    work_date: date
    billable: bool
    rate: Money
    billed_minutes: int
    expert_minutes: int
    amount: Money
    created_at: Timestamp


class BillingNoticeIn(Schema):
    category: BillingCategory
    estimate_minutes: int = Field(ge=1, le=100_000)
    message: str = Field(min_length=1, max_length=10_000)
    rate: str | None = Field(None, description="Within the category's range; default its rate.")


class BillingNoticeLineOut(Schema):
    category: str
    description: str
    minutes: int
    rate: Money
    amount: Money


class BillingNoticeOut(Schema):
    id: int
    ticket_id: int
    kind: str
    status: str
    category: str
    estimate_minutes: int
    rate: Money
    amount: Money
    message: str
    lines: list[BillingNoticeLineOut]
    due_at: Timestamp | None
    rush_fee: Money | None
    created_at: Timestamp
    decided_at: Timestamp | None
    decided_by_id: int | None


class BillingBugOut(Schema):
    ticket_id: int
    confirmed_bug: bool
    confirmed_bug_at: Timestamp


class BillingExpertHoursOut(Schema):
    quarter: str = Field(examples=["2025-Q3"])
    included_hours: Money
    used_hours: Money
    remaining_hours: Money


class BillingAllowanceOut(Schema):
    window: str = Field(
        description="Where free minutes are counted: day, week, month (the organization's, "
        "on its region's calendar) or ticket.",
        examples=["day"],
    )
    window_starts_at: Timestamp | None
    window_ends_at: Timestamp | None
    time_zone: str = Field(description="The region's time zone the window is read in.")
    allowance_minutes: int
    used_minutes: int
    remaining_minutes: int
    reached: bool


class BillingDeliveryOut(Schema):
    id: int
    notice_id: int
    accepted_at: Timestamp
    due_at: Timestamp | None
    rush: bool
    state: str = Field(
        description="on_track, due_soon, missed, delivered, delivered_late or no_target."
    )
    warned_at: Timestamp | None
    delivered_at: Timestamp | None


class BillingSummaryOut(Schema):
    ticket_id: int
    professional_services: bool
    ps_reason: str
    suggested_category: str | None = Field(
        description="A category suggested to the agent: the ticket names an area where support "
        "often runs past the free minutes. The free minutes still apply."
    )
    suggestion_reason: str
    confirmed_bug: bool
    allowance: BillingAllowanceOut
    deliveries: list[BillingDeliveryOut]
    rush_requested_at: Timestamp | None
    rush_needed_by: date | None
    billed_amount: Money


def _delivery_out(delivery: Delivery, state: str) -> dict[str, Any]:
    return {
        "id": delivery.pk,
        "notice_id": delivery.notice_id,
        "accepted_at": delivery.accepted_at,
        "due_at": delivery.due_at,
        "rush": delivery.rush,
        "state": state,
        "warned_at": delivery.warned_at,
        "delivered_at": delivery.delivered_at,
    }


def _notice_out(notice: Notice) -> dict[str, Any]:
    lines = list(notice.lines.select_related("category"))
    first = lines[0]
    return {
        "id": notice.pk,
        "ticket_id": notice.ticket_id,
        "kind": notice.kind,
        "status": notice.status,
        "category": first.category.code,
        "estimate_minutes": sum(line.minutes for line in lines),
        "rate": first.rate,
        "amount": notices.notice_total(notice),
        "message": notice.message,
        "lines": [
            {
                "category": line.category.code,
                "description": line.description,
                "minutes": line.minutes,
                "rate": line.rate,
                "amount": line.amount,
            }
            for line in lines
        ],
        "due_at": notice.due_at,
        "rush_fee": notice.rush_fee,
        "created_at": notice.created_at,
        "decided_at": notice.decided_at,
        "decided_by_id": notice.decided_by_id,
    }


def _time_out(entry: TimeEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "ticket_id": entry.ticket_id,
        "minutes": entry.minutes,
        "category": entry.category.code,
        "note": entry.note,
        "work_date": entry.work_date,
        "billable": entry.billable,
        "rate": entry.rate,
        "billed_minutes": entry.billed_minutes,
        "expert_minutes": entry.expert_minutes,
        "amount": entry.amount,
        "created_at": entry.created_at,
    }


def _staff_ticket(request: HttpRequest, ticket_id: int, action: str) -> tuple[User, Ticket]:
    user = caller(request)
    ticket = get_ticket_for_user(user, ticket_id)
    require_staff(user, action)
    return user, ticket


STAFF_WRITE = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: RuleErrorOut,
    422: ValidationErrorOut,
}


@router.post(
    "/tickets/{ticket_id}/time",
    response={201: BillingTimeOut, **STAFF_WRITE},
    summary="Log time on a ticket (staff). 409 support_allowance_reached / consent_required",
)
def log_time(
    request: HttpRequest, ticket_id: int, payload: BillingTimeIn
) -> Status[dict[str, Any]]:
    user, ticket = _staff_ticket(request, ticket_id, "log time")
    entry = timelog.log_time(
        ticket=ticket,
        actor=user,
        minutes=payload.minutes,
        category=str(payload.category),
        note=payload.note,
        work_date=payload.work_date,
    )
    return Status(201, _time_out(entry))


@router.post(
    "/tickets/{ticket_id}/notices",
    response={201: BillingNoticeOut, **STAFF_WRITE},
    summary="Send the customer a professional-services notice with an estimate (staff)",
)
def send_notice(
    request: HttpRequest, ticket_id: int, payload: BillingNoticeIn
) -> Status[dict[str, Any]]:
    user, ticket = _staff_ticket(request, ticket_id, "send notices")
    notice = notices.send_notice(
        ticket=ticket,
        actor=user,
        category=str(payload.category),
        estimate_minutes=payload.estimate_minutes,
        message=payload.message,
        rate=notices.parse_rate(payload.rate, "rate"),
    )
    return Status(201, _notice_out(notice))


CUSTOMER_DECIDE = {
    200: BillingNoticeOut,
    401: ErrorOut,
    404: ErrorOut,
    409: RuleErrorOut,
    422: ValidationErrorOut,
}


@router.post(
    "/notices/{notice_id}/accept",
    response=CUSTOMER_DECIDE,
    summary="Accept a notice or quote (the ticket's customer; anyone else 404)",
)
def accept_notice(request: HttpRequest, notice_id: int) -> dict[str, Any]:
    user = caller(request)
    notice = get_notice_for_customer(user, notice_id)
    return _notice_out(notices.accept_notice(notice=notice, customer=user))


@router.post(
    "/notices/{notice_id}/decline",
    response=CUSTOMER_DECIDE,
    summary="Decline a notice or quote (the ticket's customer; anyone else 404)",
)
def decline_notice(request: HttpRequest, notice_id: int) -> dict[str, Any]:
    user = caller(request)
    notice = get_notice_for_customer(user, notice_id)
    return _notice_out(notices.decline_notice(notice=notice, customer=user))


@router.post(
    "/tickets/{ticket_id}/bug",
    response={200: BillingBugOut, **STAFF_WRITE},
    summary="Mark a confirmed bug: every charge on the ticket is waived (staff)",
)
def confirm_bug(request: HttpRequest, ticket_id: int) -> dict[str, Any]:
    user, ticket = _staff_ticket(request, ticket_id, "confirm bugs")
    billing = overrides.mark_confirmed_bug(ticket=ticket, actor=user)
    return {
        "ticket_id": ticket.pk,
        "confirmed_bug": True,
        "confirmed_bug_at": billing.confirmed_bug_at,
    }


@router.get(
    "/billing/expert-hours",
    response={200: BillingExpertHoursOut, 401: ErrorOut, 403: ErrorOut},
    summary="This quarter's expert-service hours of the caller's organization (customer admin)",
)
def expert_hours(request: HttpRequest) -> dict[str, Any]:
    user = caller(request)
    if user.role != User.Role.CUSTOMER_ADMIN or user.organization is None:
        raise HttpError(403, "Only customer admins see their organization's expert hours.")
    balance = expert.balance(user.organization, expert.current_quarter())
    return {
        "quarter": str(balance.quarter),
        "included_hours": ledger.hours(balance.included_minutes),
        "used_hours": ledger.hours(balance.used_minutes),
        "remaining_hours": ledger.hours(balance.remaining_minutes),
    }


@router.get(
    "/tickets/{ticket_id}/billing",
    response={200: BillingSummaryOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="The ticket's billing summary: free minutes used and left, turn-time targets",
)
def billing_summary(request: HttpRequest, ticket_id: int) -> dict[str, Any]:
    """Anyone who sees the ticket: its free-support allowance (the organization's, over the
    window), what was suggested, and the delivery targets of accepted work."""
    ticket = get_ticket_for_user(caller(request), ticket_id)
    state = queries.ticket_billing_state(ticket)
    allowance, window, billing = state.allowance, state.allowance.window, state.billing
    return {
        "ticket_id": ticket.pk,
        "professional_services": bool(billing and billing.professional_services),
        "ps_reason": billing.ps_reason if billing else "",
        "suggested_category": (billing.suggested_category or None) if billing else None,
        "suggestion_reason": billing.suggestion_reason if billing else "",
        "confirmed_bug": state.is_confirmed_bug,
        "allowance": {
            "window": window.kind,
            "window_starts_at": window.starts_at,
            "window_ends_at": window.ends_at,
            "time_zone": window.time_zone,
            "allowance_minutes": allowance.allowance,
            "used_minutes": allowance.used,
            "remaining_minutes": allowance.left,
            "reached": allowance.reached,
        },
        "deliveries": [_delivery_out(view.delivery, view.state) for view in state.turn_times],
        "rush_requested_at": billing.rush_requested_at if billing else None,
        "rush_needed_by": billing.rush_needed_by if billing else None,
        "billed_amount": state.billed_amount if not state.is_confirmed_bug else 0,
    }


@router.post(
    "/tickets/{ticket_id}/deliveries/{delivery_id}/delivered",
    response={
        200: BillingDeliveryOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Mark accepted work delivered: its turn time stops (staff)",
)
def mark_delivered(request: HttpRequest, ticket_id: int, delivery_id: int) -> dict[str, Any]:
    user, ticket = _staff_ticket(request, ticket_id, "mark work delivered")
    delivery = Delivery.objects.filter(pk=delivery_id, ticket=ticket).first()
    if delivery is None:
        raise HttpError(404, "No such work on this ticket.")
    delivery = turntime.mark_delivered(delivery=delivery, actor=user)
    return _delivery_out(delivery, delivery.state(timezone.now()))
