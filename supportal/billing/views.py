"""Billing pages and the POST handlers of the console and portal pieces.

Each view: authorise → parse → call a service or query → render or redirect. A refused
form is shown again on its own page with what was typed and the reasons."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from supportal.accounts.http import AuthenticatedHttpRequest
from supportal.accounts.models import Organization, User
from supportal.core.errors import InvalidInput, RuleViolation, add_errors
from supportal.tickets.access import can_work_tickets, get_ticket_for_user
from supportal.tickets.models import Ticket

from . import calculator, expert, export, queries, services, statements, turntime
from .access import (
    can_see_billing_report,
    get_notice_for_customer,
    get_organization_for_billing,
)
from .forms import (
    CorrectionForm,
    DeliveredForm,
    ExceptionForm,
    ExtendForm,
    NoticeForm,
    QuoteForm,
    ReleasePasswordForm,
    RushRequestForm,
    TimeEntryForm,
)


def _staff_ticket(request: AuthenticatedHttpRequest, ticket_id: int) -> Ticket:
    ticket = get_ticket_for_user(request.user, ticket_id)
    if not can_work_tickets(request.user):
        raise Http404("No such page")
    return ticket


def _action_page(
    request: HttpRequest,
    ticket: Ticket,
    form: forms.Form,
    title: str,
    action: str,
    status: int = 422,
) -> HttpResponse:
    """The form again, with the input kept and the reasons it was refused."""
    return render(
        request,
        "billing/ticket_action.html",
        {"ticket": ticket, "form": form, "title": title, "action": action},
        status=status,
    )


def _run(
    request: HttpRequest,
    ticket: Ticket,
    form: forms.Form,
    title: str,
    action: str,
    call: Callable[[dict[str, Any]], None],
    success: str,
) -> HttpResponse:
    """Validate the form, call the service, and either go back to the ticket or re-show."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except InvalidInput as exc:
            add_errors(form, exc.errors)
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        except PermissionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, success)
            return redirect(ticket)
    return _action_page(request, ticket, form, title, action)


# --- Console (staff) ---------------------------------------------------------------------


@login_required
@require_POST
def log_time(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _staff_ticket(request, ticket_id)
    form = TimeEntryForm(request.POST)

    def call(data: dict[str, Any]) -> None:
        services.log_time(
            ticket=ticket,
            actor=request.user,
            minutes=data["minutes"],
            category=data["category"],
            note=data["note"],
            work_date=data["work_date"],
        )

    return _run(request, ticket, form, "Log time", "billing:log_time", call, "Time logged.")


@login_required
@require_POST
def send_notice(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _staff_ticket(request, ticket_id)
    form = NoticeForm(request.POST)

    def call(data: dict[str, Any]) -> None:
        services.send_notice(
            ticket=ticket,
            actor=request.user,
            category=data["category"],
            estimate_minutes=data["estimate_minutes"],
            message=data["message"],
            rate=data["rate"],
        )

    return _run(
        request,
        ticket,
        form,
        "Send a professional-services notice",
        "billing:send_notice",
        call,
        "Notice sent: the customer decides in the portal.",
    )


def _vendor_end_of_day(day: date | None) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, time(17, 0), tzinfo=ZoneInfo(settings.SUPPORTAL_VENDOR_TIME_ZONE))


@login_required
@require_http_methods(["GET", "POST"])
def send_quote(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    """The professional-services team's quote: line items, due date, optional rush price."""
    ticket = _staff_ticket(request, ticket_id)
    if request.method == "GET":
        # "Write the rush quote" comes with the date the customer needs it by.
        rush_due_on = request.GET.get("rush_due_on", "")[:10]
        form = QuoteForm(initial={"rush_due_on": rush_due_on} if rush_due_on else None)
        return _action_page(request, ticket, form, "Send a quote", "billing:send_quote", 200)
    form = QuoteForm(request.POST)

    def call(data: dict[str, Any]) -> None:
        services.send_quote(
            ticket=ticket,
            actor=request.user,
            lines=form.lines(),
            message=data["message"],
            due_at=_vendor_end_of_day(data["due_on"]),
            rush_fee=data["rush_fee"],
            rush_due_at=_vendor_end_of_day(data["rush_due_on"]),
        )

    return _run(request, ticket, form, "Send a quote", "billing:send_quote", call, "Quote sent.")


@login_required
@require_POST
def confirm_bug(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _staff_ticket(request, ticket_id)
    services.mark_confirmed_bug(ticket=ticket, actor=request.user)
    messages.success(request, "Marked as a confirmed bug: nothing on this ticket is charged.")
    return redirect(ticket)


@login_required
@require_POST
def extend_allowance(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _staff_ticket(request, ticket_id)
    form = ExtendForm(request.POST)

    def call(data: dict[str, Any]) -> None:
        services.extend_allowance(
            ticket=ticket, actor=request.user, minutes=data["minutes"], reason=data["reason"]
        )

    return _run(
        request,
        ticket,
        form,
        "Extend free support",
        "billing:extend_allowance",
        call,
        "Free support extended.",
    )


@login_required
@require_POST
def custom_code_exception(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _staff_ticket(request, ticket_id)
    form = ExceptionForm(request.POST)

    def call(data: dict[str, Any]) -> None:
        services.record_custom_code_exception(
            ticket=ticket, actor=request.user, reason=data["reason"], note=data["note"]
        )

    return _run(
        request,
        ticket,
        form,
        "Custom CSS/JS exception",
        "billing:custom_code_exception",
        call,
        "Exception recorded; the customer is being notified.",
    )


@login_required
@require_POST
def mark_delivered(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    """Staff: the accepted work is done; the turn time stops."""
    ticket = _staff_ticket(request, ticket_id)
    form = DeliveredForm(request.POST)
    if not form.is_valid():
        raise Http404("No such work")
    try:
        delivery = turntime.delivery_for_ticket(ticket, form.cleaned_data["delivery"])
    except RuleViolation:
        raise Http404("No such work") from None
    turntime.mark_delivered(delivery=delivery, actor=request.user)
    messages.success(request, "Marked delivered.")
    return redirect(ticket)


@login_required
@require_POST
def release_password(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _staff_ticket(request, ticket_id)
    form = ReleasePasswordForm(request.POST)

    def call(data: dict[str, Any]) -> None:
        calculator.release_calculator_password(
            ticket=ticket, actor=request.user, password=data["password"]
        )

    return _run(
        request,
        ticket,
        form,
        "Release the calculator password",
        "billing:release_password",
        call,
        "Password released: the customer can read it once.",
    )


# --- Portal (customers) ------------------------------------------------------------------


@login_required
@require_POST
def decide_notice(request: AuthenticatedHttpRequest, notice_id: int, decision: str) -> HttpResponse:
    user = request.user
    notice = get_notice_for_customer(user, notice_id)
    try:
        if decision == "accept":
            services.accept_notice(
                notice=notice, customer=user, rush=request.POST.get("rush") == "1"
            )
            messages.success(request, "Thank you: the estimate is accepted and work can go on.")
        else:
            services.decline_notice(notice=notice, customer=user)
            messages.info(request, "Estimate declined: nothing will be charged for it.")
    except (RuleViolation, InvalidInput) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
    return redirect(notice.ticket)


def _customer_ticket(request: AuthenticatedHttpRequest, ticket_id: int) -> Ticket:
    ticket = get_ticket_for_user(request.user, ticket_id)
    if not services.is_ticket_customer(request.user, ticket):
        raise Http404("No such page")
    return ticket


@login_required
@require_POST
def request_rush(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _customer_ticket(request, ticket_id)
    form = RushRequestForm(request.POST)

    def call(data: dict[str, Any]) -> None:
        services.request_rush_quote(
            ticket=ticket, customer=request.user, needed_by=data["needed_by"], note=data["note"]
        )

    return _run(
        request,
        ticket,
        form,
        "Ask for a rush quote",
        "billing:request_rush",
        call,
        "Rush quote requested: our professional-services team will send a price.",
    )


@login_required
@require_POST
def acknowledge_calculator(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _customer_ticket(request, ticket_id)
    if request.POST.get("acknowledge") != "1":
        messages.error(request, "Tick the box to confirm you have read the warning.")
    else:
        calculator.acknowledge_calculator_warning(ticket=ticket, customer=request.user)
        messages.success(request, "Thank you. Support will release the password.")
    return redirect(ticket)


@login_required
@never_cache
@require_POST
def reveal_calculator(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _customer_ticket(request, ticket_id)
    try:
        password = calculator.reveal_calculator_password(ticket=ticket, customer=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return redirect(ticket)
    return render(
        request, "billing/calculator_password.html", {"ticket": ticket, "password": password}
    )


# --- Statements, expert hours, report ----------------------------------------------------


@login_required
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if can_see_billing_report(user):
        return redirect("billing:report")
    if user.role == User.Role.CUSTOMER_ADMIN and user.organization_id:
        return redirect("billing:organization", organization_id=user.organization_id)
    raise Http404("No such page")


@login_required
@require_GET
def organization(request: AuthenticatedHttpRequest, organization_id: int) -> HttpResponse:
    org = get_organization_for_billing(request.user, organization_id)
    today = services.vendor_today()
    return render(
        request,
        "billing/organization_detail.html",
        {
            "organization": org,
            "balance": expert.balance(org, expert.current_quarter()),
            "quarters": expert.organization_quarters(org),
            "months": statements.statement_months(org, today=today),
            "correction_form": CorrectionForm() if request.user.is_manager else None,
        },
    )


def _statement(
    request: AuthenticatedHttpRequest, organization_id: int, period: str
) -> statements.StatementView:
    org = get_organization_for_billing(request.user, organization_id)
    try:
        year, month = (int(part) for part in period.split("-"))
        if not 1 <= month <= 12 or not 2000 <= year <= 2999:
            raise ValueError
    except ValueError:
        raise Http404("No such statement") from None
    return statements.statement_for(org, year, month)


@login_required
@require_GET
def statement(request: AuthenticatedHttpRequest, organization_id: int, period: str) -> HttpResponse:
    view = _statement(request, organization_id, period)
    return render(
        request,
        "billing/statement_detail.html",
        {
            "statement": view,
            "note": export.rounding_note(view),
            "can_finalise": can_see_billing_report(request.user) and not view.is_final,
        },
    )


@login_required
@require_GET
def statement_csv(
    request: AuthenticatedHttpRequest, organization_id: int, period: str
) -> HttpResponse:
    view = _statement(request, organization_id, period)
    response = HttpResponse(export.statement_csv(view), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statement-{view.slug}.csv"'
    return response


@login_required
@require_GET
def statement_pdf(
    request: AuthenticatedHttpRequest, organization_id: int, period: str
) -> HttpResponse:
    view = _statement(request, organization_id, period)
    response = HttpResponse(export.statement_pdf(view), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="statement-{view.slug}.pdf"'
    return response


@login_required
@require_POST
def finalise(request: AuthenticatedHttpRequest, organization_id: int, period: str) -> HttpResponse:
    if not can_see_billing_report(request.user):
        raise Http404("No such page")
    view = _statement(request, organization_id, period)
    try:
        statements.finalise_statement(
            organization=view.organization,
            year=view.period.year,
            month=view.period.month,
            actor=request.user,
        )
        messages.success(request, f"Statement {view.label} finalised.")
    except RuleViolation as exc:
        messages.error(request, exc.message)
    return redirect("billing:statement", organization_id=organization_id, period=period)


@login_required
@require_POST
def add_correction(request: AuthenticatedHttpRequest, organization_id: int) -> HttpResponse:
    user = request.user
    org = get_organization_for_billing(user, organization_id)
    if not user.is_manager:
        raise Http404("No such page")
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            statements.add_correction(
                organization=org,
                actor=user,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        except InvalidInput as exc:
            add_errors(form, exc.errors)
        else:
            messages.success(request, "Credit recorded: it appears on the next statement.")
            return redirect("billing:organization", organization_id=org.pk)
    return render(
        request, "billing/correction_form.html", {"organization": org, "form": form}, status=422
    )


@login_required
@require_GET
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff: billed hours and revenue by month, category and organization; expert hours."""
    if not can_see_billing_report(request.user):
        raise Http404("No such page")
    return render(
        request,
        "billing/report.html",
        {
            "revenue": queries.revenue_by_month(),
            "turn_time": turntime.turn_time_by_month(),
            "turnaround_days": settings.SUPPORTAL_EXPERT_TURNAROUND_DAYS,
            "expert": queries.expert_hours_by_quarter(),
            "organizations": Organization.objects.order_by("name"),
        },
    )
