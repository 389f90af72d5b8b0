"""Reads for billing pages, with the permission filter left to ``access``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supportal.tickets.models import Ticket

from . import ledger
from .allowance import (
    Allowance,
    allowance_from,
    allowance_window,
    counted_free_entries,
)
from .models import (
    AllowanceExtension,
    CalculatorPassword,
    Category,
    CustomCodeException,
    Delivery,
    ExpertHoursEntry,
    Notice,
    TicketBilling,
    TimeEntry,
    WorkCategory,
)


@dataclass
class TicketBillingState:
    billing: TicketBilling | None
    allowance: Allowance
    entries: list[TimeEntry]
    notices: list[Notice]
    extensions: list[AllowanceExtension]
    exceptions: list[CustomCodeException]
    calculator: CalculatorPassword | None
    deliveries: list[Delivery]

    @property
    def is_confirmed_bug(self) -> bool:
        return bool(self.billing and self.billing.is_confirmed_bug)

    @property
    def pending_notice(self) -> Notice | None:
        return next((n for n in self.notices if n.is_pending), None)

    @property
    def accepted_notices(self) -> list[Notice]:
        return [n for n in self.notices if n.status == Notice.Status.ACCEPTED]

    @property
    def billed_amount(self) -> Decimal:
        return sum((e.amount for e in self.entries), Decimal("0.00"))

    @property
    def suggested_category(self) -> str:
        """The category's label when the ticket names an area where support often runs
        past the free minutes ("" otherwise)."""
        code = self.billing.suggested_category if self.billing else ""
        return str(Category(code).label) if code in Category.values else ""

    @property
    def turn_times(self) -> list[DeliveryView]:
        now = timezone.now()
        return [DeliveryView(delivery, delivery.state(now)) for delivery in self.deliveries]

    @property
    def awaiting_rush_quote(self) -> bool:
        """The customer asked for a rush quote and no quote with a rush price came since."""
        asked = self.billing.rush_requested_at if self.billing else None
        if asked is None:
            return False
        return not any(n.rush_fee is not None and n.created_at >= asked for n in self.notices)


STATE_LABELS = {
    "delivered": _("Delivered on time"),
    "delivered_late": _("Delivered late"),
    "missed": _("Target missed"),
    "due_soon": _("Due soon"),
    "on_track": _("On track"),
    "no_target": _("No target (the region has no support hours yet)"),
}


@dataclass(frozen=True)
class DeliveryView:
    delivery: Delivery
    state: str

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def is_open(self) -> bool:
        return self.delivery.delivered_at is None


def _on_ticket(model: type[Any]) -> Exists:  # a billing model with a ticket
    return Exists(model.objects.filter(ticket_id=OuterRef("pk")))


def ticket_billing_state(ticket: Ticket) -> TicketBillingState:
    """Everything billing shows on a ticket page. One query reads the ticket's billing row
    (most tickets have none: it is written when there is something to keep) and which of
    the other six kinds of rows the ticket has: most tickets have none of them, and only
    the kinds present are read; it also brings the organization's free minutes in the
    allowance window."""
    window = allowance_window(ticket=ticket)
    in_window = (
        counted_free_entries(ticket=ticket, window=window)
        .order_by()
        .values("billable")
        .annotate(total=Sum("minutes"))
        .values("total")
    )
    found = (
        Ticket.objects.filter(pk=ticket.pk)
        .only("pk", "billing")  # the caller has the ticket: its billing row and facts below
        .select_related("billing")
        .annotate(
            window_free_minutes=Coalesce(Subquery(in_window[:1]), 0),
            has_entries=_on_ticket(TimeEntry),
            has_extensions=_on_ticket(AllowanceExtension),
            has_notices=_on_ticket(Notice),
            has_exceptions=_on_ticket(CustomCodeException),
            has_calculator=_on_ticket(CalculatorPassword),
            has_deliveries=_on_ticket(Delivery),
        )
        .get()
    )
    try:
        billing: TicketBilling | None = found.billing
    except TicketBilling.DoesNotExist:
        billing = None

    def present(kind: str) -> bool:
        return bool(getattr(found, f"has_{kind}"))

    entries = (
        list(TimeEntry.objects.filter(ticket=ticket).select_related("category", "author"))
        if present("entries")
        else []
    )
    extensions = (
        list(AllowanceExtension.objects.filter(ticket=ticket).select_related("granted_by"))
        if present("extensions")
        else []
    )
    notices = (
        list(
            Notice.objects.filter(ticket=ticket)
            .select_related("created_by", "decided_by")
            .prefetch_related("lines__category")
        )
        if present("notices")
        else []
    )
    if window.per_ticket:  # from the rows read here: the sum allowance_for asks for
        used = sum(entry.minutes for entry in entries if not entry.billable)
    else:  # the organization's, read with the ticket above
        used = found.window_free_minutes
    return TicketBillingState(
        billing=billing,
        allowance=allowance_from(
            billing=billing,
            extension_minutes=sum(extension.minutes for extension in extensions),
            used=used,
            window=window,
        ),
        entries=entries,
        notices=notices,
        extensions=extensions,
        exceptions=(
            list(CustomCodeException.objects.filter(ticket=ticket)) if present("exceptions") else []
        ),
        calculator=(
            CalculatorPassword.objects.filter(ticket=ticket).first()
            if present("calculator")
            else None
        ),
        deliveries=(
            list(Delivery.objects.filter(ticket=ticket).select_related("notice", "delivered_by"))
            if present("deliveries")
            else []
        ),
    )


def categories() -> list[WorkCategory]:
    return list(WorkCategory.objects.all())


@dataclass(frozen=True)
class RevenueRow:
    month: object
    organization: str
    category: str
    billed_hours: Decimal
    expert_hours: Decimal
    revenue: Decimal


def revenue_by_month() -> list[RevenueRow]:
    """Billed hours and revenue by month, organization and category; waived work excluded."""
    waived = TicketBilling.objects.filter(ticket=OuterRef("ticket"), confirmed_bug_at__isnull=False)
    rows = (
        TimeEntry.objects.filter(billable=True)
        .exclude(Exists(waived))
        .annotate(month=TruncMonth("work_date"))
        .values("month", "ticket__organization__name", "category__name")
        .annotate(billed=Sum("billed_minutes"), expert=Sum("expert_minutes"), revenue=Sum("amount"))
        .order_by("-month", "ticket__organization__name", "category__name")
    )
    return [
        RevenueRow(
            month=row["month"],
            organization=row["ticket__organization__name"],
            category=row["category__name"],
            billed_hours=ledger.hours(row["billed"] or 0),
            expert_hours=ledger.hours(row["expert"] or 0),
            revenue=ledger.money(row["revenue"] or Decimal("0")),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class ExpertRow:
    organization: str
    quarter: str
    included_hours: Decimal
    used_hours: Decimal
    remaining_hours: Decimal


def expert_hours_by_quarter() -> list[ExpertRow]:
    """Expert hours used vs included per organization and quarter, from the ledger."""
    folded: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    rows = (
        ExpertHoursEntry.objects.values("organization__name", "quarter", "kind")
        .annotate(minutes=Sum("minutes"))
        .order_by()
    )
    for row in rows:
        folded[(row["organization__name"], row["quarter"])].append((row["kind"], row["minutes"]))
    result = []
    for (organization, quarter), kinds in sorted(
        folded.items(), key=lambda i: (i[0][1], i[0][0]), reverse=True
    ):
        balance = ledger.balance_from_rows(ledger.Quarter.parse(quarter), kinds)
        result.append(
            ExpertRow(
                organization=organization,
                quarter=quarter,
                included_hours=ledger.hours(balance.included_minutes),
                used_hours=ledger.hours(balance.used_minutes),
                remaining_hours=ledger.hours(balance.remaining_minutes),
            )
        )
    return result
