"""Reports pages: the customer's ticket report and exports, the staff dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from supportal.accounts.http import AuthenticatedHttpRequest
from supportal.accounts.models import User
from supportal.core.db_router import replica_reads
from supportal.tickets.access import can_file_tickets, can_read_as_staff
from supportal.tickets.models import Ticket

from . import exports, figures, queries, services, spreadsheet
from .forms import WEEK_CHOICES, DashboardForm, ReportFilterForm


@login_required
@require_GET
def ticket_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every ticket the user may see, filtered and sorted, with response and resolution
    times; the organization's usage at a glance for customers."""
    user = request.user
    form = ReportFilterForm(request.GET, user=user)
    filters = form.filters()
    with replica_reads():
        page = queries.report_page(user, filters, request.GET.get("cursor"))
        usage = queries.usage_for(user)
    export_query = request.GET.copy()
    export_query.pop("cursor", None)
    return render(
        request,
        "reports/ticket_report.html",
        {
            "form": form,
            "page": page,
            "usage": usage,
            "export_query": export_query.urlencode(),
            "show_requester": queries.sees_others_tickets(user),
            "show_organization": user.is_staff_or_auditor,
            "can_file": can_file_tickets(user),
            "filtered": any(v for k, v in request.GET.items() if k not in ("sort", "cursor")),
        },
    )


def _export_tickets(request: AuthenticatedHttpRequest) -> QuerySet[Ticket]:
    user = request.user
    return queries.report_tickets(user, ReportFilterForm(request.GET, user=user).filters())


@login_required
@require_GET
def export_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    staff = request.user.is_staff_or_auditor
    return exports.csv_response(request, _export_tickets(request), staff=staff)


@login_required
@require_GET
def export_xlsx(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    with replica_reads():
        staff = request.user.is_staff_or_auditor
        return exports.xlsx_response(request, _export_tickets(request), staff=staff)


def _staff(request: AuthenticatedHttpRequest) -> User:
    user = request.user
    if not can_read_as_staff(user):
        raise Http404("No such page")
    return user


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = _staff(request)
    form = DashboardForm(request.GET)
    weeks = form.span()
    with replica_reads():
        shown = figures.dashboard_figures(weeks=weeks)
        with_engineering = queries.open_tickets_with_engineering()
    return render(
        request,
        "reports/dashboard.html",
        {
            "figures": shown,
            "with_engineering": with_engineering,
            "weeks": weeks,
            "week_choices": WEEK_CHOICES,
            "can_subscribe": services.can_subscribe(user),
            "subscribed": services.is_subscribed(user),
        },
    )


@login_required
@require_GET
def figure_csv(request: AuthenticatedHttpRequest, slug: str) -> StreamingHttpResponse:
    _staff(request)
    weeks = DashboardForm(request.GET).span()
    # The CSV's column headers stay English whatever the reader's language: integrations
    # read them.
    with replica_reads(), translation.override("en"):
        figure = figures.figure_for(slug, weeks=weeks)
    if figure is None:
        raise Http404("No such figure")
    return exports.streamed_response(
        request,
        spreadsheet.csv_lines(figure.columns, figure.rows),
        content_type="text/csv; charset=utf-8",
        filename=f"{slug}-{weeks}-weeks.csv",
    )


@login_required
@require_POST
def subscription(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Managers start or stop the weekly email of the dashboard's key figures."""
    user = _staff(request)
    if not services.can_subscribe(user):
        raise Http404("No such page")
    if request.POST.get("action") == "unsubscribe":
        services.unsubscribe(user=user)
        messages.success(request, _("You will no longer receive the weekly report."))
    else:
        services.subscribe(user=user)
        messages.success(request, _("You will receive the key figures by email every week."))
    return redirect("reports:dashboard")
