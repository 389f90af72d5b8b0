"""Free support: the window free minutes are counted in, and the allowance that applies to
work on a ticket now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from supportal.accounts.models import Organization
from supportal.tickets.models import Ticket

from . import ledger, rules
from .models import AllowanceExtension, TicketBilling, TimeEntry

WINDOW_WORDS = {
    "day": gettext_lazy("for %(organization)s today"),
    "week": gettext_lazy("for %(organization)s this week"),
    "month": gettext_lazy("for %(organization)s this month"),
}


@dataclass(frozen=True)
class Window:
    """Where free minutes are counted: one ticket, or an organization over [starts, ends)."""

    kind: str  # "ticket", "day", "week", "month"
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    time_zone: str = ""
    organization_name: str = ""

    @property
    def per_ticket(self) -> bool:
        return self.kind == "ticket"

    @property
    def scope(self) -> str:
        """How a sentence names it: "on this ticket", "for Acme Print today"."""
        if self.per_ticket:
            return _("on this ticket")
        return str(WINDOW_WORDS[self.kind]) % {"organization": self.organization_name}


@dataclass(frozen=True)
class Allowance:
    used: int
    allowance: int
    window: Window = Window("ticket")

    @property
    def reached(self) -> bool:
        return self.used >= self.allowance

    @property
    def left(self) -> int:
        return max(0, self.allowance - self.used)


def region_time_zone(organization: Organization) -> str:
    """The wall clock of the organization's support region (the vendor's without one)."""
    region = organization.support_region
    return region.timezone if region is not None else settings.SUPPORTAL_VENDOR_TIME_ZONE


def allowance_window(*, ticket: Ticket, now: datetime | None = None) -> Window:
    """The window the ticket's free minutes are counted in now (``SUPPORTAL_FREE_SUPPORT_WINDOW``):
    by default the calendar day in the organization's region."""
    kind = settings.SUPPORTAL_FREE_SUPPORT_WINDOW
    if kind == "ticket":
        return Window("ticket")
    organization = ticket.organization
    tz_name = region_time_zone(organization)
    starts, ends = ledger.allowance_window(now or timezone.now(), tz_name=tz_name, window=kind)
    return Window(kind, starts, ends, tz_name, organization.name)


def counted_free_entries(*, ticket: Ticket, window: Window) -> QuerySet[TimeEntry]:
    """Free support entries that count against the allowance: on this ticket, or logged in
    the window on any of the organization's tickets. A confirmed bug's time never counts:
    a bug is not the customer's series of questions."""
    entries = TimeEntry.objects.filter(billable=False)
    if window.per_ticket:
        return entries.filter(ticket=ticket)
    return entries.filter(
        ticket__organization_id=ticket.organization_id,
        created_at__gte=window.starts_at,
        created_at__lt=window.ends_at,
    ).exclude(ticket__billing__confirmed_bug_at__isnull=False)


def free_minutes_in_window(*, ticket: Ticket, window: Window) -> int:
    entries = counted_free_entries(ticket=ticket, window=window)
    return entries.aggregate(m=Sum("minutes"))["m"] or 0


def allowance_for(
    *, ticket: Ticket, billing: TicketBilling | None = None, now: datetime | None = None
) -> Allowance:
    """The free-support allowance that applies to work on this ticket now.

    ``SUPPORTAL_FREE_SUPPORT_MINUTES`` per window for the organization (none on a ticket
    filed as professional services), plus what managers granted on this ticket."""
    billing = billing or TicketBilling.objects.filter(ticket_id=ticket.pk).first()
    extensions = AllowanceExtension.objects.filter(ticket=ticket).aggregate(m=Sum("minutes"))["m"]
    window = allowance_window(ticket=ticket, now=now)
    used = free_minutes_in_window(ticket=ticket, window=window)
    return allowance_from(
        billing=billing, extension_minutes=extensions or 0, used=used, window=window
    )


def allowance_from(
    *,
    billing: TicketBilling | None,
    extension_minutes: int,
    used: int,
    window: Window = Window("ticket"),
) -> Allowance:
    """The free-support allowance from what was already read: the ticket's billing row,
    the minutes its extensions grant and the free (non-billable) minutes counted."""
    return Allowance(
        used=used,
        allowance=rules.allowance_minutes(
            base=settings.SUPPORTAL_FREE_SUPPORT_MINUTES,
            professional_services=bool(billing and billing.professional_services),
            extensions=extension_minutes,
        ),
        window=window,
    )
