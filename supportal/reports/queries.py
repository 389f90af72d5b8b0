"""The customer's ticket report: every ticket the user may see, filtered, sorted, with the
business-hours response and resolution times; and the organization's usage at a glance.

Visibility is the ticket list's (``tickets_visible_to``): a customer sees their own
tickets, a customer admin the organization's, staff every ticket."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from supportal.accounts.models import Organization, SupportRegion, User
from supportal.billing import expert, ledger
from supportal.billing.models import TicketBilling, TimeEntry
from supportal.core.pagination import Page, keyset_page
from supportal.sla.calendars import calendar_for_organization
from supportal.tickets.access import tickets_visible_to
from supportal.tickets.models import Ticket

from . import periods, timing
from .models import TicketTiming

# The sort keys a report may ask for, each a total order for keyset pagination.
SORTS: dict[str, tuple[StrOrPromise, list[str]]] = {
    "newest": (_("Newest first"), ["-received_at", "-id"]),
    "oldest": (_("Oldest first"), ["received_at", "id"]),
    "updated": (_("Recently updated"), ["-updated_at", "-id"]),
    "status": (_("Status"), ["status", "-received_at", "-id"]),
    "subject": (_("Subject"), ["subject", "id"]),
}
DEFAULT_SORT = "newest"


@dataclass(frozen=True)
class ReportFilters:
    status: str | None = None
    product: str | None = None
    kind: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    requester: int | None = None
    urgent: bool | None = None
    text: str = ""
    sort: str = DEFAULT_SORT


def sees_others_tickets(user: User) -> bool:
    """Who may filter by requester: customer admins and staff."""
    return user.is_staff_or_auditor or user.role == User.Role.CUSTOMER_ADMIN


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def report_tickets(user: User, filters: ReportFilters) -> QuerySet[Ticket]:
    """The visible tickets matching the filters, with their stored timings, sorted."""
    qs = tickets_visible_to(user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.product:
        qs = qs.filter(product__slug=filters.product)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.urgent is not None:
        qs = qs.filter(urgent=filters.urgent)
    if filters.received_from:
        qs = qs.filter(received_at__gte=_day_start(filters.received_from))
    if filters.received_to:
        qs = qs.filter(received_at__lt=_day_start(filters.received_to + timedelta(days=1)))
    if filters.requester and sees_others_tickets(user):
        qs = qs.filter(requester_id=filters.requester)
    text = filters.text.strip()
    if text:
        qs = qs.filter(Q(subject__icontains=text) | Q(number__iexact=text))
    return qs.annotate(
        timing_computed_at=F("report_timing__computed_at"),
        stored_first_response=F("report_timing__first_response_seconds"),
        stored_resolution=F("report_timing__resolution_seconds"),
    ).order_by(*order_for(filters.sort))


def order_for(sort: str) -> list[str]:
    return SORTS.get(sort, SORTS[DEFAULT_SORT])[1]


def resolution_end(resolved_at: datetime | None, closed_at: datetime | None) -> datetime | None:
    return resolved_at or closed_at


class TimingFallback:
    """Times of tickets whose summary row is not written yet, from their calendars.

    Calendars are kept per support region for the life of one page, export or batch."""

    def __init__(self) -> None:
        self._regions: dict[int, int | None] = {}
        self._calendars: dict[int | None, Any] = {}

    def calendar(self, organization_id: int) -> Any:
        if organization_id not in self._regions:
            self._regions[organization_id] = (
                Organization.objects.filter(pk=organization_id)
                .values_list("support_region_id", flat=True)
                .first()
            )
        region_id = self._regions[organization_id]
        if region_id not in self._calendars:
            region = SupportRegion.objects.filter(pk=region_id).first() if region_id else None
            # The SLA app's rule (home region, or the team's coverage) on a stand-in.
            self._calendars[region_id] = calendar_for_organization(
                Organization(support_region=region)
            )
        return self._calendars[region_id]

    def times(
        self,
        *,
        organization_id: int,
        received_at: datetime,
        first_responded_at: datetime | None,
        resolved_at: datetime | None,
        computed_at: datetime | None,
        stored_first_response: int | None,
        stored_resolution: int | None,
    ) -> tuple[int | None, int | None]:
        """(first response, resolution) in business seconds; stored values when current."""
        first, resolution = stored_first_response, stored_resolution
        if first_responded_at is not None and (computed_at is None or first is None):
            first = timing.business_seconds(
                received_at, first_responded_at, self.calendar(organization_id)
            )
        if resolved_at is None:
            resolution = None
        elif computed_at is None or resolution is None:
            resolution = timing.business_seconds(
                received_at, resolved_at, self.calendar(organization_id)
            )
        return first, resolution


def report_page(user: User, filters: ReportFilters, cursor: str | None) -> Page:
    """One page of the report; each ticket carries ``first_response_seconds`` and
    ``resolution_seconds`` (business time, None while not answered or not resolved)."""
    page = keyset_page(
        report_tickets(user, filters),
        order=order_for(filters.sort),
        cursor=cursor,
        limit=settings.SUPPORTAL_PAGE_SIZE,
    )
    fallback = TimingFallback()
    for ticket in page.items:
        ticket.first_response_seconds, ticket.resolution_seconds = fallback.times(
            organization_id=ticket.organization_id,
            received_at=ticket.received_at,
            first_responded_at=ticket.first_responded_at,
            resolved_at=resolution_end(ticket.resolved_at, ticket.closed_at),
            computed_at=ticket.timing_computed_at,
            stored_first_response=ticket.stored_first_response,
            stored_resolution=ticket.stored_resolution,
        )
    return page


def requester_choices(user: User) -> list[tuple[int, str]]:
    """People whose tickets a customer admin may filter by: the organization's users."""
    if user.role != User.Role.CUSTOMER_ADMIN or not user.organization_id:
        return []
    return [
        (u.pk, u.get_full_name())
        for u in User.objects.filter(organization_id=user.organization_id).order_by("name", "pk")
    ]


# --- Usage at a glance ------------------------------------------------------------------


@dataclass(frozen=True)
class Usage:
    scope: str  # "organization" or "mine"
    open_tickets: int
    quarter: str
    answered_this_quarter: int
    average_first_response_seconds: float | None
    expert_included_hours: Decimal | None = None
    expert_used_hours: Decimal | None = None
    expert_remaining_hours: Decimal | None = None
    charges_this_month: Decimal | None = None
    month: date | None = None

    @property
    def average_first_response(self) -> str:
        if self.average_first_response_seconds is None:
            return ""
        return timing.format_duration(int(self.average_first_response_seconds))


def usage_for(user: User, *, now: datetime | None = None) -> Usage | None:
    """A customer's figures: their own tickets, or the organization's for an admin.

    Expert hours and charges are billing's, shown to those who may see statements (the
    organization's customer admins). None for users without an organization."""
    if user.is_staff_or_auditor or not user.organization_id:
        return None
    now = now or timezone.now()
    tz = settings.SUPPORTAL_VENDOR_TIME_ZONE
    start, end, quarter = periods.quarter_bounds(now, tz)
    is_admin = user.role == User.Role.CUSTOMER_ADMIN
    open_tickets = tickets_visible_to(user).filter(in_queue__in=[True]).count()
    timings = TicketTiming.objects.filter(
        organization_id=user.organization_id,
        received_at__gte=start,
        received_at__lt=end,
        first_response_seconds__isnull=False,
    )
    if not is_admin:
        timings = timings.filter(ticket__requester=user)
    answered = timings.aggregate(n=Count("pk"), avg=Avg("first_response_seconds"))
    usage = Usage(
        scope="organization" if is_admin else "mine",
        open_tickets=open_tickets,
        quarter=quarter,
        answered_this_quarter=answered["n"],
        average_first_response_seconds=answered["avg"],
    )
    if not is_admin or user.organization is None:  # an admin has an organization
        return usage
    return _with_billing(usage, user.organization, now)


def _with_billing(usage: Usage, organization: Organization, now: datetime) -> Usage:
    balance = expert.balance(organization, expert.current_quarter())
    first, following = periods.month_bounds(now, settings.SUPPORTAL_VENDOR_TIME_ZONE)
    waived = TicketBilling.objects.filter(ticket=OuterRef("ticket"), confirmed_bug_at__isnull=False)
    charges = (
        TimeEntry.objects.filter(
            ticket__organization=organization,
            billable=True,
            work_date__gte=first,
            work_date__lt=following,
        )
        .exclude(Exists(waived))
        .aggregate(total=Sum("amount"))["total"]
    )
    return Usage(
        **{
            **usage.__dict__,
            "expert_included_hours": ledger.hours(balance.included_minutes),
            "expert_used_hours": ledger.hours(balance.used_minutes),
            "expert_remaining_hours": ledger.hours(balance.remaining_minutes),
            "charges_this_month": ledger.money(charges or Decimal("0")),
            "month": first,
        }
    )


def open_tickets_with_engineering() -> int:
    """Open tickets waiting on the programming staff (the dashboard's live count)."""
    return Ticket.objects.filter(
        in_queue__in=[True], engineering_escalated_at__isnull=False
    ).count()
