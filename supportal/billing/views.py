"""Billing pages and the POST handlers of the console and portal pieces.

Each view: authorise → parse → call a service or query → render or redirect. A refused
form is shown again on its own page with what was typed and the reasons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from supportal.accounts.access import staff_only
from supportal.accounts.http import AuthenticatedHttpRequest
from supportal.accounts.models import Organization, User
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation, add_errors
from supportal.tickets.access import get_ticket_for_user
from supportal.tickets.models import Ticket

from . import (
    access,
    calculator,
    expert,
    export,
    notices,
    overrides,
    queries,
    statements,
    ticket_billing,
    timelog,
    turntime,
)
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
    TicketActionForm,
    TimeEntryForm,
)


def _customer_ticket(request: AuthenticatedHttpRequest, ticket_id: int) -> Ticket:
    ticket = get_ticket_for_user(request.user, ticket_id)
    if not access.is_ticket_customer(request.user, ticket):
        raise Http404("No such page")
    return ticket


def _action_page(
    request: HttpRequest, ticket: Ticket, form: TicketActionForm, action: str, status: int
) -> HttpResponse:
    """The form on a page of its own: asked for, or refused with the input and the reasons."""
    return render(
        request,
        "billing/ticket_action.html",
        {"ticket": ticket, "form": form, "title": form.title, "action": action},
        status=status,
    )


def ticket_form_view(
    action: str,
    form_class: type[TicketActionForm],
    service: Callable[..., object],
    *,
    customer: bool = False,
    initial: Callable[[HttpRequest], dict[str, Any]] | None = None,
) -> Callable[..., HttpResponse]:
    """The view of a form on the ticket page that posts to the URL named ``action``.

    Working staff post it, and ``service`` gets them as ``actor``; with ``customer`` the
    ticket's customer posts it, as ``customer``. Anyone else gets 404. A valid form's
    ``arguments()`` go to the service, and the ticket page says the form's ``success``; a
    refused form (the form's or the service's reasons) is shown again on its own page with
    status 422. With ``initial``, GET shows that page, the form filled from the request."""
    who = "customer" if customer else "actor"

    def view(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
        if customer:
            ticket = _customer_ticket(request, ticket_id)
        else:
            ticket = get_ticket_for_user(request.user, ticket_id)
        if request.method == "GET":
            form = form_class(initial=initial(request) if initial else None)
            return _action_page(request, ticket, form, action, 200)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                service(ticket=ticket, **{who: request.user}, **form.arguments())
            except InvalidInput as exc:
                add_errors(form, exc.errors)
            except (RuleViolation, NotPermitted) as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, str(form.success))
                return redirect(ticket)
        return _action_page(request, ticket, form, action, 422)

    view.__name__ = view.__qualname__ = action.split(":")[-1]
    methods = ["GET", "POST"] if initial else ["POST"]
    return login_required(require_http_methods(methods)(view if customer else staff_only(view)))


def _rush_due_on(request: HttpRequest) -> dict[str, Any]:
    """The date the customer needs the work by, when "Write the rush quote" links here."""
    rush_due_on = request.GET.get("rush_due_on", "")[:10]
    return {"rush_due_on": rush_due_on} if rush_due_on else {}


# --- Console (staff) ---------------------------------------------------------------------

log_time = ticket_form_view("billing:log_time", TimeEntryForm, timelog.log_time)
send_notice = ticket_form_view("billing:send_notice", NoticeForm, notices.send_notice)
# The professional-services team's quote: line items, due date, optional rush price.
send_quote = ticket_form_view(
    "billing:send_quote", QuoteForm, notices.send_quote, initial=_rush_due_on
)
extend_allowance = ticket_form_view(
    "billing:extend_allowance", ExtendForm, overrides.extend_allowance
)
custom_code_exception = ticket_form_view(
    "billing:custom_code_exception", ExceptionForm, overrides.record_custom_code_exception
)
release_password = ticket_form_view(
    "billing:release_password", ReleasePasswordForm, calculator.release_calculator_password
)


@login_required
@require_POST
@staff_only
def confirm_bug(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = get_ticket_for_user(request.user, ticket_id)
    overrides.mark_confirmed_bug(ticket=ticket, actor=request.user)
    messages.success(request, _("Marked as a confirmed bug: nothing on this ticket is charged."))
    return redirect(ticket)


@login_required
@require_POST
@staff_only
def mark_delivered(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    """Staff: the accepted work is done; the turn time stops."""
    ticket = get_ticket_for_user(request.user, ticket_id)
    form = DeliveredForm(request.POST)
    if not form.is_valid():
        raise Http404("No such work")
    try:
        delivery = turntime.delivery_for_ticket(ticket, form.cleaned_data["delivery"])
    except RuleViolation:
        raise Http404("No such work") from None
    turntime.mark_delivered(delivery=delivery, actor=request.user)
    messages.success(request, _("Marked delivered."))
    return redirect(ticket)


# --- Portal (customers) ------------------------------------------------------------------


@login_required
@require_POST
def decide_notice(request: AuthenticatedHttpRequest, notice_id: int, decision: str) -> HttpResponse:
    user = request.user
    notice = get_notice_for_customer(user, notice_id)
    try:
        if decision == "accept":
            notices.accept_notice(
                notice=notice, customer=user, rush=request.POST.get("rush") == "1"
            )
            messages.success(request, _("Thank you: the estimate is accepted and work can go on."))
        else:
            notices.decline_notice(notice=notice, customer=user)
            messages.info(request, _("Estimate declined: nothing will be charged for it."))
    except (RuleViolation, InvalidInput) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
    return redirect(notice.ticket)


request_rush = ticket_form_view(
    "billing:request_rush", RushRequestForm, notices.request_rush_quote, customer=True
)


@login_required
@require_POST
def acknowledge_calculator(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _customer_ticket(request, ticket_id)
    if request.POST.get("acknowledge") != "1":
        messages.error(request, _("Tick the box to confirm you have read the warning."))
    else:
        calculator.acknowledge_calculator_warning(ticket=ticket, customer=request.user)
        messages.success(request, _("Thank you. Support will release the password."))
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
    today = ticket_billing.vendor_today()
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
@staff_only
def finalise(request: AuthenticatedHttpRequest, organization_id: int, period: str) -> HttpResponse:
    view = _statement(request, organization_id, period)
    try:
        statements.finalise_statement(
            organization=view.organization,
            year=view.period.year,
            month=view.period.month,
            actor=request.user,
        )
        messages.success(request, _("Statement %(label)s finalised.") % {"label": view.label})
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
            messages.success(request, _("Credit recorded: it appears on the next statement."))
            return redirect("billing:organization", organization_id=org.pk)
    return render(
        request, "billing/correction_form.html", {"organization": org, "form": form}, status=422
    )


@login_required
@require_GET
@staff_only
def report(request: HttpRequest) -> HttpResponse:
    """Staff: billed hours and revenue by month, category and organization; expert hours."""
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
