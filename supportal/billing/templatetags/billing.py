"""Billing pieces for the ticket page: ``{% load billing %}`` then the tags below.

The tickets app shows them without importing billing."""

from decimal import Decimal
from typing import Any

from django import template
from django.template import Context

from supportal.billing import access, calculator, expert, ledger, notices, queries
from supportal.billing.forms import (
    DeliveredForm,
    ExceptionForm,
    ExtendForm,
    NoticeForm,
    ReleasePasswordForm,
    RushRequestForm,
    TimeEntryForm,
)
from supportal.tickets.models import Ticket

register = template.Library()


@register.inclusion_tag("billing/_console.html", takes_context=True)
def billing_console(context: Context, ticket: Ticket) -> dict[str, Any]:
    """Staff: log time, the free-support meter, and the three ways on at the allowance."""
    request = context.get("request")
    user = getattr(request, "user", None)
    state = queries.ticket_billing_state(ticket)
    manager = user is not None and user.is_manager
    # The forms behind "the ways on" and the calculator's exist only when they are shown.
    ways_on = state.allowance.reached and not state.is_confirmed_bug
    is_calculator = ticket.kind == Ticket.Kind.CALCULATOR_PASSWORD
    return {
        "ticket": ticket,
        "state": state,
        "user": user,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "time_form": TimeEntryForm(),
        "notice_form": _notice_form(state) if ways_on else None,
        "extend_form": ExtendForm() if manager and ways_on else None,
        "exception_form": ExceptionForm() if manager else None,
        "password_form": ReleasePasswordForm() if is_calculator else None,
        "is_calculator": is_calculator,
        "balance": expert.balance(ticket.organization, expert.current_quarter()),
        "delivered_form": DeliveredForm() if state.deliveries else None,
    }


def _notice_form(state: queries.TicketBillingState) -> NoticeForm:
    """The notice form, its category the suggested one, its help naming the rate ranges."""
    ranges = "; ".join(
        f"{row.name.lower()} takes {row.rate}-{row.rate_max}"
        for row in queries.categories()
        if row.has_rate_range
    )
    suggested = state.billing.suggested_category if state.billing else ""
    return NoticeForm(initial={"category": suggested} if suggested else None, ranges=ranges)


@register.inclusion_tag("billing/_customer_panel.html", takes_context=True)
def billing_customer_panel(context: Context, ticket: Ticket) -> dict[str, Any]:
    """Customers: professional-services notices to accept or decline, and what applies."""
    request = context.get("request")
    user = getattr(request, "user", None)
    state = queries.ticket_billing_state(ticket)
    for notice in state.notices:
        if notice.is_pending:
            notice.customer_text = notices.notice_text(notice)  # type: ignore[attr-defined]  # for the template
    is_calculator = ticket.kind == Ticket.Kind.CALCULATOR_PASSWORD
    return {
        "ticket": ticket,
        "state": state,
        "is_ticket_customer": user is not None and access.is_ticket_customer(user, ticket),
        "csrf_token": context.get("csrf_token"),
        "rush_form": RushRequestForm(),
        "is_calculator": is_calculator,
        "warning": calculator.warning_text() if is_calculator else "",
    }


@register.filter
def hours(minutes: int | None) -> Decimal:
    """Minutes as hours with two decimals: 90 → 1.50."""
    return ledger.hours(int(minutes or 0))
