"""The write path of billing. ``log_time`` is the only function that creates time entries,
and the one place where "no billable time without prior consent" is enforced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from supportal.accounts.models import Organization, User
from supportal.core.errors import InvalidInput, RuleViolation
from supportal.tickets.models import Ticket
from supportal.tickets.services import record_event

from . import expert, ledger, notify, rules, turntime
from .models import (
    AllowanceExtension,
    Category,
    CustomCodeException,
    ExpertHoursEntry,
    Notice,
    NoticeLine,
    TicketBilling,
    TimeEntry,
    WorkCategory,
)

MAX_MINUTES_PER_ENTRY = 24 * 60


def category_for(code: str, *, field: str = "category") -> WorkCategory:
    found = WorkCategory.objects.filter(code=code).first()
    if found is None:
        raise InvalidInput({field: f"Choose one of: {', '.join(Category.values)}."})
    return found


def vendor_today() -> date:
    return ledger.local_date(timezone.now(), settings.SUPPORTAL_VENDOR_TIME_ZONE)


# --- Tickets filed --------------------------------------------------------------------


def _classification(ticket: Ticket) -> dict[str, Any]:
    """Professional services from the first minute when the customer filed it as such;
    otherwise, when its words name an area where support often runs past the free
    minutes, a category suggested to the agent (the free minutes still apply)."""
    reason = rules.professional_services_reason(kind=ticket.kind)
    suggestion = (
        None
        if reason
        else rules.suggest_category(
            text=f"{ticket.subject}\n{ticket.description}",
            keywords=list(settings.SUPPORTAL_PS_KEYWORDS),
            technical=list(settings.SUPPORTAL_PS_TECHNICAL_KEYWORDS),
        )
    )
    return {
        "professional_services": bool(reason),
        "ps_reason": reason,
        "suggested_category": suggestion.category if suggestion else "",
        "suggestion_reason": suggestion.reason if suggestion else "",
    }


def classify_new_ticket(*, ticket: Ticket) -> TicketBilling:
    """Give a ticket just filed (in this transaction) its billing row."""
    return TicketBilling.objects.create(ticket=ticket, **_classification(ticket))


def classify_ticket(*, ticket: Ticket) -> TicketBilling:
    """Give a ticket its billing row if it has none yet (one filed before billing existed)."""
    billing, _ = TicketBilling.objects.get_or_create(
        ticket=ticket, defaults=_classification(ticket)
    )
    return billing


def _locked_billing(ticket: Ticket) -> TicketBilling:
    """The ticket's billing row, locked: every billing write on a ticket takes this lock."""
    billing = TicketBilling.objects.select_for_update().filter(ticket_id=ticket.pk).first()
    if billing is None:  # a ticket filed before billing existed
        classify_ticket(ticket=ticket)
        billing = TicketBilling.objects.select_for_update().get(ticket_id=ticket.pk)
    return billing


# --- The allowance -----------------------------------------------------------------------


WINDOW_WORDS = {"day": "today", "week": "this week", "month": "this month"}


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
            return "on this ticket"
        return f"for {self.organization_name} {WINDOW_WORDS[self.kind]}"


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


# --- Time ------------------------------------------------------------------------------


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
    if not actor.is_support_staff:
        raise PermissionError("Only support staff log time.")
    errors: dict[str, str] = {}
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 1:
        errors["minutes"] = "Enter the minutes worked, at least 1."
    elif minutes > MAX_MINUTES_PER_ENTRY:
        errors["minutes"] = "One entry covers at most a day (1440 minutes)."
    work_date = work_date or vendor_today()
    if work_date > vendor_today():
        errors["work_date"] = "Time cannot be logged for a future date."
    if len(note) > 2000:
        errors["note"] = "Keep the note under 2000 characters."
    found = WorkCategory.objects.filter(code=category).first()
    if found is None:
        errors["category"] = f"Choose one of: {', '.join(Category.values)}."
    if errors:
        raise InvalidInput(errors)
    assert found is not None
    with transaction.atomic():
        billing = _locked_billing(ticket)
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
            # misc: None (no notice) is a valid lookup here: it matches no line.
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


# --- Notices and quotes ------------------------------------------------------------------


@dataclass(frozen=True)
class LineDraft:
    category: str
    minutes: int
    description: str = ""
    rate: Decimal | None = None


def _parse_rate(raw: object, field: str) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise InvalidInput({field: "Enter the rate as a number, e.g. 150.00."}) from None
    return ledger.money(value)


def send_notice(
    *,
    ticket: Ticket,
    actor: User,
    category: str,
    estimate_minutes: int,
    message: str,
    rate: Decimal | None = None,
) -> Notice:
    """Tell the customer the work is professional services, with an estimate to accept."""
    return send_quote(
        ticket=ticket,
        actor=actor,
        lines=[LineDraft(category=category, minutes=estimate_minutes, rate=rate)],
        message=message,
        kind=Notice.Kind.NOTICE,
    )


def send_quote(
    *,
    ticket: Ticket,
    actor: User,
    lines: list[LineDraft],
    message: str,
    kind: str = Notice.Kind.QUOTE,
    due_at: datetime | None = None,
    rush_fee: Decimal | None = None,
    rush_due_at: datetime | None = None,
) -> Notice:
    """Send a notice or a quote (line items, hours, rates, due date, optional rush price).

    A pending estimate on the ticket is superseded by the new one. Without a due date the
    work is due the expert-services turn-time (2 business days) after the customer accepts;
    a rush delivery must be sooner than that turn-time counted from now."""
    if not actor.is_support_staff:
        raise PermissionError("Only support staff send notices and quotes.")
    errors: dict[str, str] = {}
    if not message or not message.strip():
        errors["message"] = "Tell the customer what the work is and why it is billable."
    if not lines:
        errors["lines"] = "Add at least one line."
    resolved: list[NoticeLine] = []
    for index, draft in enumerate(lines):
        prefix = "" if kind == Notice.Kind.NOTICE else f"lines.{index}."
        minutes_field = "estimate_minutes" if kind == Notice.Kind.NOTICE else f"{prefix}minutes"
        cat = WorkCategory.objects.filter(code=draft.category).first()
        if cat is None or not cat.billable:
            errors[f"{prefix}category"] = "Choose a billable category."
            continue
        if not isinstance(draft.minutes, int) or draft.minutes < 1:
            errors[minutes_field] = "Estimate the work in minutes, at least 1."
            continue
        rate = draft.rate if draft.rate is not None else cat.rate
        if not rules.rate_in_range(rate=rate, low=cat.rate, high=cat.rate_max):
            errors[f"{prefix}rate"] = f"The rate for {cat.name} is {cat.rate}" + (
                f" to {cat.rate_max}." if cat.has_rate_range else "."
            )
            continue
        resolved.append(
            NoticeLine(
                category=cat,
                description=(draft.description.strip() or cat.name)[:300],
                minutes=draft.minutes,
                rate=rate,
                fixed_fee=cat.fixed_fee,
            )
        )
    if rush_fee is not None and rush_fee <= 0:
        errors["rush_fee"] = "A rush price is more than zero."
    if rush_fee is not None and rush_due_at is None:
        errors["rush_due_at"] = "Say when the rush delivery would be done."
    if rush_fee is not None and rush_due_at is not None:
        standard = turntime.standard_due(organization=ticket.organization, start=timezone.now())
        if standard is not None and rush_due_at >= standard:
            errors["rush_due_at"] = (
                "A rush delivery is sooner than the normal turn-time, which would be "
                f"{standard:%Y-%m-%d %H:%M %Z} if accepted now."
            )
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        billing = _locked_billing(ticket)
        if billing.is_confirmed_bug:
            raise RuleViolation("confirmed_bug", "A confirmed bug is never charged.")
        Notice.objects.filter(ticket=ticket, status=Notice.Status.PENDING).update(
            status=Notice.Status.SUPERSEDED
        )
        now = timezone.now()
        notice = Notice.objects.create(
            ticket=ticket,
            kind=kind,
            message=message.strip(),
            created_by=actor,
            created_at=now,
            due_at=due_at,
            rush_fee=rush_fee,
            rush_due_at=rush_due_at if rush_fee is not None else None,
        )
        for line in resolved:
            line.notice = notice
            line.save()
        total = notice_total(notice)
        record_event(
            ticket=ticket,
            actor=actor,
            action="billing_notice_sent",
            data={"notice_id": notice.pk, "kind": kind, "total": str(total)},
        )
        notify.notify_notice(notice, total=total)
    return notice


def notice_total(notice: Notice) -> Decimal:
    return sum((line.amount for line in notice.lines.all()), Decimal("0.00"))


def notice_text(notice: Notice) -> str:
    """The notice as the customer reads it; kept word for word when they accept."""
    parts = [f"{notice.get_kind_display()} for {notice.ticket.number}", "", notice.message, ""]
    currency = settings.SUPPORTAL_BILLING_CURRENCY
    for line in notice.lines.all():
        if line.fixed_fee is not None:
            parts.append(
                f"- {line.description}: fixed fee {line.fixed_fee} {currency} per incident"
            )
        else:
            parts.append(
                f"- {line.description}: {line.hours} h at {line.rate} {currency}/h"
                f" = {line.amount} {currency}"
            )
    parts.append(f"Estimated total: {notice_total(notice)} {currency}")
    turn_time = (
        f"{settings.SUPPORTAL_EXPERT_TURNAROUND_DAYS} business days of your region's support "
        "hours after you accept"
    )
    if notice.due_at:
        parts.append(f"Due: {notice.due_at:%Y-%m-%d %H:%M %Z}, or {turn_time} if that is later")
    elif any(line.category.code != Category.TRAINING for line in notice.lines.all()):
        parts.append(f"Due: {turn_time}")
    if notice.rush_fee is not None and notice.rush_due_at:
        parts.append(
            f"Rush option: {notice.rush_fee} {currency} more, due {notice.rush_due_at:%Y-%m-%d}"
        )
    parts.append("Expert-service hours included in your plan are used first.")
    return "\n".join(parts)


def is_ticket_customer(user: User, ticket: Ticket) -> bool:
    """The requester, or a customer admin of the ticket's organization."""
    if not (user.is_authenticated and user.is_active and user.is_customer):
        return False
    if user.organization_id != ticket.organization_id:
        return False
    return user.pk == ticket.requester_id or user.role == User.Role.CUSTOMER_ADMIN


def _decide(*, notice: Notice, customer: User, status: str, rush: bool) -> Notice:
    if not is_ticket_customer(customer, notice.ticket):
        raise PermissionError("Only the ticket's customer accepts or declines its notices.")
    with transaction.atomic():
        _locked_billing(notice.ticket)
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if not notice.is_pending:
            raise RuleViolation(
                "notice_not_pending",
                f"This estimate is already {notice.get_status_display().lower()}.",
            )
        if rush and notice.rush_fee is None:
            raise InvalidInput({"rush": "This quote has no rush option."})
        if rush and notice.rush_due_at is not None and notice.rush_due_at <= timezone.now():
            raise RuleViolation(
                "rush_expired",
                "The rush date of this quote has passed: accept it without the rush, or ask "
                "for a new rush quote.",
            )
        notice.status = status
        notice.decided_by = customer
        notice.decided_at = timezone.now()
        if status == Notice.Status.ACCEPTED:
            notice.accepted_rush = rush
            notice.accepted_text = notice_text(notice)
            notice.accepted_rates = [
                {
                    "category": line.category.code,
                    "description": line.description,
                    "minutes": line.minutes,
                    "rate": str(line.rate),
                    "fixed_fee": None if line.fixed_fee is None else str(line.fixed_fee),
                    "amount": str(line.amount),
                }
                for line in notice.lines.select_related("category")
            ]
        notice.save()
        delivery = turntime.open_delivery(notice=notice)
        record_event(
            ticket=notice.ticket,
            actor=customer,
            action=f"billing_notice_{status}",
            data={
                "notice_id": notice.pk,
                "rush": rush,
                "due_at": delivery.due_at.isoformat() if delivery and delivery.due_at else None,
            },
        )
    return notice


def accept_notice(*, notice: Notice, customer: User, rush: bool = False) -> Notice:
    """The customer agrees to the estimate: from now on billable time may be logged."""
    return _decide(notice=notice, customer=customer, status=Notice.Status.ACCEPTED, rush=rush)


def decline_notice(*, notice: Notice, customer: User) -> Notice:
    return _decide(notice=notice, customer=customer, status=Notice.Status.DECLINED, rush=False)


# --- The three ways on -------------------------------------------------------------------


def mark_confirmed_bug(*, ticket: Ticket, actor: User) -> TicketBilling:
    """A confirmed bug is never charged: every charge on the ticket is waived and the expert
    hours it used come back. Safe to call twice."""
    if not actor.is_support_staff:
        raise PermissionError("Only support staff confirm bugs.")
    with transaction.atomic():
        billing = _locked_billing(ticket)
        if billing.is_confirmed_bug:
            return billing
        billing.confirmed_bug_at = timezone.now()
        billing.confirmed_bug_by = actor
        billing.save(update_fields=["confirmed_bug_at", "confirmed_bug_by"])
        uses = ExpertHoursEntry.objects.filter(
            time_entry__ticket=ticket, kind=ExpertHoursEntry.Kind.USE
        ).exclude(time_entry__ledger_rows__kind=ExpertHoursEntry.Kind.REFUND)
        for use in uses:
            ExpertHoursEntry.objects.create(
                organization_id=use.organization_id,
                quarter=use.quarter,
                kind=ExpertHoursEntry.Kind.REFUND,
                minutes=-use.minutes,
                ticket=ticket,
                time_entry_id=use.time_entry_id,
                note=f"{ticket.number} confirmed bug",
            )
        Notice.objects.filter(ticket=ticket, status=Notice.Status.PENDING).update(
            status=Notice.Status.SUPERSEDED
        )
        record_event(ticket=ticket, actor=actor, action="confirmed_bug", data={})
    return billing


def extend_allowance(
    *, ticket: Ticket, actor: User, minutes: int, reason: str
) -> AllowanceExtension:
    """A manager gives the ticket more free support, with a recorded reason."""
    if not actor.is_manager:
        raise PermissionError("Only a manager extends free support.")
    errors = {}
    if not isinstance(minutes, int) or minutes < 1 or minutes > 8 * 60:
        errors["minutes"] = "Extend by 1 to 480 minutes."
    if not reason or not reason.strip():
        errors["reason"] = "Record why free support is extended."
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        _locked_billing(ticket)
        extension = AllowanceExtension.objects.create(
            ticket=ticket, minutes=minutes, reason=reason.strip(), granted_by=actor
        )
        record_event(
            ticket=ticket,
            actor=actor,
            action="allowance_extended",
            data={"minutes": minutes, "reason": extension.reason},
        )
    return extension


def record_custom_code_exception(
    *, ticket: Ticket, actor: User, reason: str, note: str = ""
) -> CustomCodeException:
    """The manager's decision that a custom CSS/JS fix proceeds before consent (urgent, or
    faster to fix than to estimate). The customer is notified at once of the hourly rate
    the time is billed at: the custom CSS/JS category's (the technical rate)."""
    if not actor.is_manager:
        raise PermissionError("Only a manager records the custom CSS/JS exception.")
    if reason not in CustomCodeException.Reason.values:
        raise InvalidInput({"reason": "Say why: urgent, or faster to fix than to estimate."})
    category = category_for(Category.CUSTOM_CODE)
    with transaction.atomic():
        billing = _locked_billing(ticket)
        if billing.is_confirmed_bug:
            raise RuleViolation("confirmed_bug", "A confirmed bug is never charged.")
        exception = CustomCodeException.objects.create(
            ticket=ticket, reason=reason, note=note.strip(), decided_by=actor, rate=category.rate
        )
        record_event(
            ticket=ticket,
            actor=actor,
            action="custom_code_exception",
            data={"reason": reason, "rate": str(exception.rate)},
        )
        notify.notify_custom_code_exception(exception)
    return exception


def request_rush_quote(
    *, ticket: Ticket, customer: User, needed_by: date, note: str = ""
) -> TicketBilling:
    """A customer who needs expert work sooner than the turn-time asks for a rush quote."""
    if not is_ticket_customer(customer, ticket):
        raise PermissionError("Only the ticket's customer asks for a rush quote.")
    if needed_by < vendor_today():
        raise InvalidInput({"needed_by": "Choose a date from today on."})
    with transaction.atomic():
        billing = _locked_billing(ticket)
        billing.rush_requested_at = timezone.now()
        billing.rush_needed_by = needed_by
        billing.rush_note = note.strip()[:2000]
        billing.save(update_fields=["rush_requested_at", "rush_needed_by", "rush_note"])
        record_event(
            ticket=ticket,
            actor=customer,
            action="rush_quote_requested",
            data={"needed_by": needed_by.isoformat()},
        )
    return billing
