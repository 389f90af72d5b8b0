"""Billing: time on tickets, professional-services notices and consent, confirmed bugs,
expert-service hours. Thin over ``supportal.billing.services``; money is a decimal string."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import PlainSerializer, WithJsonSchema

from supportal.accounts.models import User
from supportal.billing import expert, ledger, services
from supportal.billing.access import get_notice_for_customer
from supportal.billing.models import Category, Notice, TimeEntry
from supportal.tickets.access import can_work_tickets, get_ticket_for_user

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
    minutes: int = Field(ge=1, le=services.MAX_MINUTES_PER_ENTRY)
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


def _notice_out(notice: Notice) -> dict:
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
        "amount": services.notice_total(notice),
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


def _time_out(entry: TimeEntry) -> dict:
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


def _staff_ticket(request: HttpRequest, ticket_id: int, action: str):
    user = caller(request)
    ticket = get_ticket_for_user(user, ticket_id)
    if not can_work_tickets(user):
        raise HttpError(403, f"Only support staff {action}.")
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
def log_time(request: HttpRequest, ticket_id: int, payload: BillingTimeIn) -> Status[dict]:
    user, ticket = _staff_ticket(request, ticket_id, "log time")
    entry = services.log_time(
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
def send_notice(request: HttpRequest, ticket_id: int, payload: BillingNoticeIn) -> Status[dict]:
    user, ticket = _staff_ticket(request, ticket_id, "send notices")
    notice = services.send_notice(
        ticket=ticket,
        actor=user,
        category=str(payload.category),
        estimate_minutes=payload.estimate_minutes,
        message=payload.message,
        rate=services._parse_rate(payload.rate, "rate"),
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
def accept_notice(request: HttpRequest, notice_id: int) -> dict:
    user = caller(request)
    notice = get_notice_for_customer(user, notice_id)
    return _notice_out(services.accept_notice(notice=notice, customer=user))


@router.post(
    "/notices/{notice_id}/decline",
    response=CUSTOMER_DECIDE,
    summary="Decline a notice or quote (the ticket's customer; anyone else 404)",
)
def decline_notice(request: HttpRequest, notice_id: int) -> dict:
    user = caller(request)
    notice = get_notice_for_customer(user, notice_id)
    return _notice_out(services.decline_notice(notice=notice, customer=user))


@router.post(
    "/tickets/{ticket_id}/bug",
    response={200: BillingBugOut, **STAFF_WRITE},
    summary="Mark a confirmed bug: every charge on the ticket is waived (staff)",
)
def confirm_bug(request: HttpRequest, ticket_id: int) -> dict:
    user, ticket = _staff_ticket(request, ticket_id, "confirm bugs")
    billing = services.mark_confirmed_bug(ticket=ticket, actor=user)
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
def expert_hours(request: HttpRequest) -> dict:
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
