"""Monthly statements: a live draft until finalised, then written once and never edited.

A draft for month M holds every billable item dated before M's end that no finalised
statement holds yet; corrections to finalised statements are credit lines on the next."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from supportal.accounts.models import Organization, User
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation

from . import ledger, rules
from .models import Correction, Notice, Statement, StatementLine, TicketBilling, TimeEntry


@dataclass
class StatementView:
    organization: Organization
    period: date
    lines: list[rules.Line]
    currency: str
    increment_minutes: int
    rounding: str
    finalised: Statement | None = None
    totals: dict[str, Decimal] = field(default_factory=dict)

    @property
    def is_final(self) -> bool:
        return self.finalised is not None

    @property
    def label(self) -> str:
        return formats.date_format(self.period, "YEAR_MONTH_FORMAT")

    @property
    def slug(self) -> str:
        return f"{self.period:%Y-%m}"

    @property
    def expert_hours_used(self) -> Decimal:
        return ledger.hours(sum(line.expert_minutes for line in self.lines))


def _totals(lines: list[rules.Line]) -> dict[str, Decimal]:
    zero = Decimal("0.00")

    def of(*kinds: str) -> Decimal:
        return sum((line.amount for line in lines if line.kind in kinds), zero)

    return {
        "charges": of("charge", "rush"),
        "waivers": of("waiver"),
        "credits": of("credit"),
        "total": sum((line.amount for line in lines), zero),
    }


def _waived_ticket_ids(organization: Organization) -> set[int]:
    return set(
        TicketBilling.objects.filter(
            ticket__organization=organization, confirmed_bug_at__isnull=False
        ).values_list("ticket_id", flat=True)
    )


def _charges(organization: Organization, end: date) -> list[rules.Charge]:
    waived = _waived_ticket_ids(organization)
    final = StatementLine.objects.filter(time_entry=OuterRef("pk"))
    entries = (
        TimeEntry.objects.filter(
            ticket__organization=organization, billable=True, work_date__lt=end
        )
        .annotate(
            charged=Exists(final.filter(kind__in=["charge"])),
            credited=Exists(final.filter(kind__in=["credit", "waiver"])),
        )
        .select_related("ticket", "category")
    )
    charges = []
    for entry in entries:
        if entry.charged and (entry.credited or entry.ticket_id not in waived):
            continue
        charges.append(
            rules.Charge(
                source="time",
                source_id=entry.pk,
                date=entry.work_date,
                ticket_id=entry.ticket_id,
                ticket_number=entry.ticket.number or "",
                description=f"{entry.ticket.number} {entry.note or entry.ticket.subject}"[:500],
                category=entry.category.name,
                minutes=entry.billed_minutes,
                rate=entry.rate,
                amount=entry.amount,
                expert_minutes=entry.expert_minutes,
                waived=entry.ticket_id in waived,
                on_finalised_statement=entry.charged,
                credited=entry.credited,
            )
        )
    tz = settings.SUPPORTAL_VENDOR_TIME_ZONE
    final_rush = StatementLine.objects.filter(notice=OuterRef("pk"))
    rushes = (
        Notice.objects.filter(ticket__organization=organization, accepted_rush=True)
        .annotate(
            charged=Exists(final_rush.filter(kind="rush")),
            credited=Exists(final_rush.filter(kind__in=["credit", "waiver"])),
        )
        .select_related("ticket")
    )
    for notice in rushes:
        assert notice.decided_at is not None  # an accepted rush was decided
        day = ledger.local_date(notice.decided_at, tz)
        if day >= end or (notice.charged and (notice.credited or notice.ticket_id not in waived)):
            continue
        charges.append(
            rules.Charge(
                source="rush",
                source_id=notice.pk,
                date=day,
                ticket_id=notice.ticket_id,
                ticket_number=notice.ticket.number or "",
                description=f"{notice.ticket.number} rush delivery",
                category="Rush fee",
                minutes=0,
                rate=None,
                amount=notice.rush_fee or Decimal("0.00"),
                expert_minutes=0,
                waived=notice.ticket_id in waived,
                on_finalised_statement=notice.charged,
                credited=notice.credited,
            )
        )
    return charges


def _corrections(organization: Organization, end: date) -> list[tuple[int, date, str, Decimal]]:
    tz = settings.SUPPORTAL_VENDOR_TIME_ZONE
    claimed = StatementLine.objects.filter(correction=OuterRef("pk"))
    rows = Correction.objects.filter(organization=organization).exclude(Exists(claimed))
    result = []
    for row in rows:
        day = ledger.local_date(row.created_at, tz)
        if day < end:
            result.append((row.pk, day, row.reason, row.amount))
    return result


def _from_rows(statement: Statement) -> list[rules.Line]:
    return [
        rules.Line(
            kind=row.kind,
            date=row.date,
            ticket_id=row.ticket_id,
            ticket_number=row.ticket_number,
            description=row.description,
            category=row.category,
            minutes=row.minutes,
            rate=row.rate,
            amount=row.amount,
            expert_minutes=row.expert_minutes,
        )
        for row in statement.lines.all()
    ]


def statement_for(organization: Organization, year: int, month: int) -> StatementView:
    """The finalised statement of the month, or the draft it would be if finalised now."""
    period, end = ledger.month_bounds(year, month)
    final = Statement.objects.filter(organization=organization, period=period).first()
    if final is not None:
        lines = _from_rows(final)
        return StatementView(
            organization=organization,
            period=period,
            lines=lines,
            currency=final.currency,
            increment_minutes=final.increment_minutes,
            rounding=final.rounding,
            finalised=final,
            totals=_totals(lines),
        )
    lines = rules.statement_lines(_charges(organization, end), _corrections(organization, end))
    return StatementView(
        organization=organization,
        period=period,
        lines=lines,
        currency=settings.SUPPORTAL_BILLING_CURRENCY,
        increment_minutes=settings.SUPPORTAL_BILLING_INCREMENT_MINUTES,
        rounding=settings.SUPPORTAL_BILLING_ROUNDING,
        totals=_totals(lines),
    )


def finalise_statement(
    *, organization: Organization, year: int, month: int, actor: User, today: date | None = None
) -> Statement:
    """Write the month's statement once. Only a month that is over, and not before the
    latest finalised one; afterwards its lines never change."""
    if not actor.is_support_staff:
        raise NotPermitted(_("Only staff finalise statements."))
    period, end = ledger.month_bounds(year, month)
    today = today or ledger.local_date(timezone.now(), settings.SUPPORTAL_VENDOR_TIME_ZONE)
    if end > today:
        raise RuleViolation("month_not_over", _("A month is finalised once it is over."))
    try:
        with transaction.atomic():
            Organization.objects.select_for_update().get(pk=organization.pk)
            later = Statement.objects.filter(organization=organization, period__gte=period)
            if later.exists():
                raise RuleViolation(
                    "statement_final", _("This month, or a later one, is already finalised.")
                )
            view = statement_for(organization, year, month)
            statement = Statement.objects.create(
                organization=organization,
                period=period,
                currency=view.currency,
                increment_minutes=view.increment_minutes,
                rounding=view.rounding,
                total=view.totals["total"],
                finalised_by=actor,
            )
            for position, line in enumerate(view.lines):
                StatementLine.objects.create(
                    statement=statement,
                    position=position,
                    kind=line.kind,
                    date=line.date,
                    ticket_id=line.ticket_id,
                    ticket_number=line.ticket_number,
                    description=line.description,
                    category=line.category,
                    minutes=line.minutes,
                    rate=line.rate,
                    amount=line.amount,
                    expert_minutes=line.expert_minutes,
                    time_entry_id=line.source_id if line.source == "time" else None,
                    notice_id=line.source_id if line.source == "rush" else None,
                    correction_id=line.source_id if line.source == "correction" else None,
                )
    except IntegrityError:
        raise RuleViolation("statement_final", _("This month is already finalised.")) from None
    return statement


def add_correction(
    *, organization: Organization, actor: User, amount: Decimal, reason: str
) -> Correction:
    """Credit an organization; the credit is a line on its next statement."""
    if not actor.is_manager:
        raise NotPermitted(_("Only a manager grants credits."))
    errors = {}
    if amount is None or amount <= 0:
        errors["amount"] = _("Credit a positive amount.")
    if not reason or not reason.strip():
        errors["reason"] = _("Say what the credit corrects.")
    if errors:
        raise InvalidInput(errors)
    return Correction.objects.create(
        organization=organization,
        amount=ledger.money(amount),
        reason=reason.strip()[:300],
        created_by=actor,
    )


def statement_months(organization: Organization, *, today: date) -> list[date]:
    """Months to list for an organization: finalised ones and those with billable items."""
    months = set(
        Statement.objects.filter(organization=organization).values_list("period", flat=True)
    )
    for day in TimeEntry.objects.filter(
        Q(ticket__organization=organization) & Q(billable=True)
    ).values_list("work_date", flat=True):
        months.add(day.replace(day=1))
    months.add(today.replace(day=1))
    return sorted(months, reverse=True)
