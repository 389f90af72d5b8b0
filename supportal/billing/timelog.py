"""Time logged on tickets. ``log_time`` is the only function that creates time entries,
and the one place where "no billable time without prior consent" is enforced."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from supportal.accounts.access import require_staff
from supportal.accounts.models import Organization, User
from supportal.core.errors import InvalidInput
from supportal.tickets.models import Ticket
from supportal.tickets.services import record_event

from . import expert, ledger, rules
from .allowance import allowance_for
from .models import (
    Category,
    CustomCodeException,
    ExpertHoursEntry,
    Notice,
    NoticeLine,
    TicketBilling,
    TimeEntry,
    WorkCategory,
)
from .ticket_billing import locked_billing, vendor_today

MAX_MINUTES_PER_ENTRY = 24 * 60


def _accepted_lines(ticket: Ticket, category: WorkCategory) -> QuerySet[NoticeLine]:
    return NoticeLine.objects.filter(
        notice__ticket=ticket, notice__status=Notice.Status.ACCEPTED, category=category
    ).select_related("notice")


def log_time(
    *,
    ticket: Ticket,
    actor: User,
    minutes: int,
    category: str,
    note: str = "",
    work_date: date | None = None,
) -> TimeEntry:
    """Record work on a ticket. The only way a TimeEntry is created.

    Preconditions: the actor is support staff. Free support stops at the ticket's
    allowance; billable work needs an accepted notice or quote of its category on this
    ticket (or, for custom CSS/JS, a manager's recorded exception) and stays within the
    accepted estimate. Billable work uses the organization's expert hours of the work
    date's quarter first. Raises RuleViolation when refused; nothing is written then."""
    require_staff(actor, "log time")
    errors: dict[str, str] = {}
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 1:
        errors["minutes"] = _("Enter the minutes worked, at least 1.")
    elif minutes > MAX_MINUTES_PER_ENTRY:
        errors["minutes"] = _("One entry covers at most a day (1440 minutes).")
    work_date = work_date or vendor_today()
    if work_date > vendor_today():
        errors["work_date"] = _("Time cannot be logged for a future date.")
    if len(note) > 2000:
        errors["note"] = _("Keep the note under 2000 characters.")
    found = WorkCategory.objects.filter(code=category).first()
    if found is None:
        errors["category"] = _("Choose one of: %(codes)s.") % {"codes": ", ".join(Category.values)}
    if errors:
        raise InvalidInput(errors)
    assert found is not None
    with transaction.atomic():
        billing = locked_billing(ticket)
        if not found.billable and settings.SUPPORTAL_FREE_SUPPORT_WINDOW != "ticket":
            # The allowance is the organization's: two agents on two of its tickets at once
            # must not both spend the last free minutes.
            list(Organization.objects.select_for_update().filter(pk=ticket.organization_id))
        entry = _checked_entry(
            ticket=ticket, billing=billing, category=found, minutes=minutes, work_date=work_date
        )
        entry.author = actor
        entry.note = note.strip()
        if entry.billable and found.uses_expert_hours:
            _use_expert_hours(entry)
        else:
            entry.amount = _entry_amount(entry)
        entry.save()
        if entry.expert_minutes:
            ExpertHoursEntry.objects.create(
                organization_id=ticket.organization_id,
                quarter=str(ledger.quarter_of_date(work_date)),
                kind=ExpertHoursEntry.Kind.USE,
                minutes=-entry.expert_minutes,
                ticket=ticket,
                time_entry=entry,
                note=f"{ticket.number}: {found.name}",
            )
        record_event(
            ticket=ticket,
            actor=actor,
            action="time_logged",
            data={
                "entry_id": entry.pk,
                "minutes": minutes,
                "category": found.code,
                "billable": entry.billable,
                "amount": str(entry.amount),
            },
        )
    return entry


def _checked_entry(
    *, ticket: Ticket, billing: TicketBilling, category: WorkCategory, minutes: int, work_date: date
) -> TimeEntry:
    """The unsaved entry, after the rule has allowed it (the one consent check)."""
    billed = (
        ledger.billed_minutes(
            minutes,
            increment=settings.SUPPORTAL_BILLING_INCREMENT_MINUTES,
            rounding=settings.SUPPORTAL_BILLING_ROUNDING,
        )
        if category.billable
        else 0
    )
    lines = list(_accepted_lines(ticket, category)) if category.billable else []
    exception = (
        CustomCodeException.objects.filter(ticket=ticket).last()
        if category.code == Category.CUSTOM_CODE
        else None
    )
    billed_so_far = TimeEntry.objects.filter(
        ticket=ticket, category=category, billable=True
    ).aggregate(m=Sum("billed_minutes"))["m"]
    allowance = allowance_for(ticket=ticket, billing=billing)
    consent = rules.check_time_entry(
        category=rules.CategoryFacts(
            code=category.code,
            billable=category.billable,
            # A fee the customer accepted stays a fee (a notice sent before custom CSS/JS
            # was billed by the hour).
            fixed_fee=category.fixed_fee is not None
            or any(line.fixed_fee is not None for line in lines),
        ),
        facts=rules.TicketFacts(
            confirmed_bug=billing.is_confirmed_bug,
            support_minutes_used=allowance.used,
            allowance_minutes=allowance.allowance,
            accepted_minutes=sum(line.minutes for line in lines),
            billed_minutes_so_far=billed_so_far or 0,
            has_accepted_notice=bool(lines),
            has_custom_code_exception=exception is not None,
            allowance_scope=allowance.window.scope,
        ),
        minutes=minutes,
        billed=billed,
    )
    entry = TimeEntry(
        ticket=ticket,
        category=category,
        minutes=minutes,
        work_date=work_date,
        billable=category.billable,
        billed_minutes=billed,
    )
    if consent == rules.Consent.NOTICE:
        latest = max(lines, key=lambda line: (line.notice.decided_at, line.pk))
        entry.notice = latest.notice
        entry.rate = latest.rate
    elif consent == rules.Consent.EXCEPTION:
        assert exception is not None
        entry.exception = exception
        entry.rate = exception.rate  # the hourly rate the customer was told
    return entry


def _fixed_fee(entry: TimeEntry) -> Decimal:
    """A category a manager gave a fixed fee (none is seeded: the policy bills by the hour)
    is charged once per ticket, on its first entry."""
    already = TimeEntry.objects.filter(
        ticket_id=entry.ticket_id, category=entry.category, billable=True
    ).exists()
    if already:
        return Decimal("0.00")
    line = NoticeLine.objects.filter(notice=entry.notice, category=entry.category).first()
    fee = line.fixed_fee if line is not None else None
    return fee if fee is not None else entry.category.fixed_fee or Decimal("0.00")


def _entry_amount(entry: TimeEntry) -> Decimal:
    if not entry.billable:
        return Decimal("0.00")
    if entry.exception is None and (
        entry.category.fixed_fee is not None
        or NoticeLine.objects.filter(
            notice_id=entry.notice_id,  # type: ignore[misc]
            category=entry.category,
            fixed_fee__isnull=False,
        ).exists()
    ):
        return _fixed_fee(entry)
    return ledger.amount_for(entry.charged_minutes, entry.rate)


def _use_expert_hours(entry: TimeEntry) -> None:
    organization = entry.ticket.organization
    quarter = ledger.quarter_of_date(entry.work_date)
    expert.open_quarter(organization, quarter)  # locks the quarter for this organization
    remaining = expert.balance(organization, quarter).remaining_minutes
    split = ledger.split_expert_hours(entry.billed_minutes, remaining=remaining)
    entry.expert_minutes = split.expert_minutes
    entry.amount = _entry_amount(entry)
