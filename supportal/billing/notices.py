"""Professional-services notices and quotes: sent by staff, accepted or declined by the
ticket's customer (who may first ask for a rush quote). Billable time needs an accepted one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from supportal.accounts.access import require_staff
from supportal.accounts.models import User
from supportal.core.dates import format_date
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation
from supportal.core.money import format_money
from supportal.tickets.models import Ticket
from supportal.tickets.services import record_event

from . import ledger, notify, rules, turntime
from .access import is_ticket_customer
from .models import Category, Notice, NoticeLine, TicketBilling, WorkCategory
from .ticket_billing import locked_billing, vendor_today


@dataclass(frozen=True)
class LineDraft:
    category: str
    minutes: int
    description: str = ""
    rate: Decimal | None = None


def parse_rate(raw: object, field: str) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise InvalidInput({field: _("Enter the rate as a number, e.g. 150.00.")}) from None
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
    require_staff(actor, "send notices and quotes")
    errors: dict[str, str] = {}
    if not message or not message.strip():
        errors["message"] = _("Tell the customer what the work is and why it is billable.")
    if not lines:
        errors["lines"] = _("Add at least one line.")
    resolved: list[NoticeLine] = []
    for index, draft in enumerate(lines):
        prefix = "" if kind == Notice.Kind.NOTICE else f"lines.{index}."
        minutes_field = "estimate_minutes" if kind == Notice.Kind.NOTICE else f"{prefix}minutes"
        cat = WorkCategory.objects.filter(code=draft.category).first()
        if cat is None or not cat.billable:
            errors[f"{prefix}category"] = _("Choose a billable category.")
            continue
        if not isinstance(draft.minutes, int) or draft.minutes < 1:
            errors[minutes_field] = _("Estimate the work in minutes, at least 1.")
            continue
        rate = draft.rate if draft.rate is not None else cat.rate
        if not rules.rate_in_range(rate=rate, low=cat.rate, high=cat.rate_max):
            if cat.has_rate_range:
                errors[f"{prefix}rate"] = _("The rate for %(name)s is %(low)s to %(high)s.") % {
                    "name": cat.name,
                    "low": cat.rate,
                    "high": cat.rate_max,
                }
            else:
                errors[f"{prefix}rate"] = _("The rate for %(name)s is %(rate)s.") % {
                    "name": cat.name,
                    "rate": cat.rate,
                }
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
        errors["rush_fee"] = _("A rush price is more than zero.")
    if rush_fee is not None and rush_due_at is None:
        errors["rush_due_at"] = _("Say when the rush delivery would be done.")
    if rush_fee is not None and rush_due_at is not None:
        standard = turntime.standard_due(organization=ticket.organization, start=timezone.now())
        if standard is not None and rush_due_at >= standard:
            errors["rush_due_at"] = _(
                "A rush delivery is sooner than the normal turn-time, which would be "
                "%(standard)s if accepted now."
            ) % {"standard": format_date(standard, "numeric_datetime_zone")}
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        billing = locked_billing(ticket)
        if billing.is_confirmed_bug:
            raise RuleViolation("confirmed_bug", _("A confirmed bug is never charged."))
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
    heading = _("%(kind)s for %(number)s") % {
        "kind": notice.get_kind_display(),
        "number": notice.ticket.number,
    }
    parts = [heading, "", notice.message, ""]
    for line in notice.lines.all():
        if line.fixed_fee is not None:
            parts.append(
                _("- %(description)s: fixed fee %(fee)s per incident")
                % {"description": line.description, "fee": format_money(line.fixed_fee)}
            )
        else:
            parts.append(
                _("- %(description)s: %(hours)s h at %(rate)s/h = %(amount)s")
                % {
                    "description": line.description,
                    "hours": formats.number_format(line.hours),
                    "rate": format_money(line.rate),
                    "amount": format_money(line.amount),
                }
            )
    parts.append(_("Estimated total: %(total)s") % {"total": format_money(notice_total(notice))})
    turn_time = _("%(days)s business days of your region's support hours after you accept") % {
        "days": settings.SUPPORTAL_EXPERT_TURNAROUND_DAYS
    }
    if notice.due_at:
        parts.append(
            _("Due: %(due)s, or %(turn_time)s if that is later")
            % {"due": format_date(notice.due_at, "numeric_datetime_zone"), "turn_time": turn_time}
        )
    elif any(line.category.code != Category.TRAINING for line in notice.lines.all()):
        parts.append(_("Due: %(turn_time)s") % {"turn_time": turn_time})
    if notice.rush_fee is not None and notice.rush_due_at:
        parts.append(
            _("Rush option: %(fee)s more, due %(due)s")
            % {
                "fee": format_money(notice.rush_fee),
                "due": format_date(notice.rush_due_at, "numeric_date"),
            }
        )
    parts.append(_("Expert-service hours included in your plan are used first."))
    return "\n".join(parts)


def _decide(*, notice: Notice, customer: User, status: str, rush: bool) -> Notice:
    if not is_ticket_customer(customer, notice.ticket):
        raise NotPermitted(_("Only the ticket's customer accepts or declines its notices."))
    with transaction.atomic():
        locked_billing(notice.ticket)
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if not notice.is_pending:
            raise RuleViolation(
                "notice_not_pending",
                _("This estimate is already %(status)s.")
                % {"status": notice.get_status_display().lower()},
            )
        if rush and notice.rush_fee is None:
            raise InvalidInput({"rush": _("This quote has no rush option.")})
        if rush and notice.rush_due_at is not None and notice.rush_due_at <= timezone.now():
            raise RuleViolation(
                "rush_expired",
                _(
                    "The rush date of this quote has passed: accept it without the rush, or "
                    "ask for a new rush quote."
                ),
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


def request_rush_quote(
    *, ticket: Ticket, customer: User, needed_by: date, note: str = ""
) -> TicketBilling:
    """A customer who needs expert work sooner than the turn-time asks for a rush quote."""
    if not is_ticket_customer(customer, ticket):
        raise NotPermitted(_("Only the ticket's customer asks for a rush quote."))
    if needed_by < vendor_today():
        raise InvalidInput({"needed_by": _("Choose a date from today on.")})
    with transaction.atomic():
        billing = locked_billing(ticket)
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
