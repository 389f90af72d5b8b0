"""The expert-services turn-time as a delivery target.

The policy: expert-services work is "normally two business days (48 hours)"; sooner is a
rush, priced by the professional-services team. Here that is a target for accepted work,
counted from the customer's acceptance in the business hours of their region (the same
calendars as the SLA clocks): tracked on a ``Delivery`` row, shown to both sides, warned
before it is missed by a periodic job, and counted in the billing report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supportal.accounts.access import require_staff
from supportal.accounts.models import Organization, User
from supportal.core.errors import RuleViolation
from supportal.intake.notify import queue_mail
from supportal.sla.business_time import NoBusinessHours, add_business_time, business_time_between
from supportal.sla.calendars import calendar_for_organization
from supportal.sla.services import expert_turnaround_due
from supportal.tickets.models import Ticket
from supportal.tickets.services import record_event

from .ledger import local_date
from .models import Category, Delivery, Notice

# Training is a session booked with the customer, not work delivered by a date.
UNTRACKED_CATEGORIES = frozenset({Category.TRAINING})


def standard_due(*, organization: Organization, start: datetime) -> datetime | None:
    """The turn-time after ``start`` (2 business days of the region's hours by default)."""
    return expert_turnaround_due(organization=organization, start=start)


def tracks_turn_time(notice: Notice) -> bool:
    """Accepted work is delivered against the turn-time unless it is only training."""
    return any(line.category.code not in UNTRACKED_CATEGORIES for line in notice.lines.all())


@dataclass(frozen=True)
class Target:
    due_at: datetime | None
    warn_at: datetime | None


def target_for(
    *, organization: Organization, accepted_at: datetime, notice: Notice, rush: bool
) -> Target:
    """When accepted work is due, and when staff are warned.

    Due: the rush date when the customer accepted a rush; otherwise the turn-time from the
    acceptance, or the quote's own due date when that is later (a larger project). The
    warning comes ``SUPPORTAL_TURN_TIME_WARNING_MINUTES`` business minutes before it, or
    halfway when the whole span is shorter than that (a rush)."""
    standard = standard_due(organization=organization, start=accepted_at)
    if rush and notice.rush_due_at is not None:
        due: datetime | None = notice.rush_due_at
    elif standard is None or notice.due_at is not None and notice.due_at > standard:
        due = notice.due_at
    else:
        due = standard
    if due is None:
        return Target(None, None)
    calendar = calendar_for_organization(organization)
    span = business_time_between(accepted_at, due, calendar)
    before = timedelta(minutes=settings.SUPPORTAL_TURN_TIME_WARNING_MINUTES)
    lead = max(span - before, span / 2)
    try:
        warn_at = add_business_time(accepted_at, lead, calendar)
    except NoBusinessHours:
        warn_at = accepted_at
    return Target(due, min(warn_at, due))


def open_delivery(*, notice: Notice) -> Delivery | None:
    """Start tracking accepted work (inside the acceptance's transaction)."""
    if notice.status != Notice.Status.ACCEPTED or not tracks_turn_time(notice):
        return None
    accepted_at = notice.decided_at or timezone.now()
    target = target_for(
        organization=notice.ticket.organization,
        accepted_at=accepted_at,
        notice=notice,
        rush=notice.accepted_rush,
    )
    return Delivery.objects.create(
        notice=notice,
        ticket=notice.ticket,
        accepted_at=accepted_at,
        due_at=target.due_at,
        warn_at=target.warn_at,
        rush=notice.accepted_rush,
    )


def mark_delivered(*, delivery: Delivery, actor: User) -> Delivery:
    """Staff record that the accepted work is done. Safe to call twice."""
    require_staff(actor, "mark work delivered")
    now = timezone.now()
    with transaction.atomic():
        claimed = Delivery.objects.filter(pk=delivery.pk, delivered_at__isnull=True).update(
            delivered_at=now, delivered_by=actor
        )
        delivery.refresh_from_db()
        if claimed:
            record_event(
                ticket=delivery.ticket,
                actor=actor,
                action="work_delivered",
                data={
                    "delivery_id": delivery.pk,
                    "notice_id": delivery.notice_id,
                    "on_time": delivery.state(now) == "delivered",
                },
            )
    return delivery


def delivery_for_ticket(ticket: Ticket, delivery_id: int) -> Delivery:
    found = Delivery.objects.filter(pk=delivery_id, ticket=ticket).first()
    if found is None:
        raise RuleViolation("no_such_delivery", _("That work is not on this ticket."))
    return found


# --- The periodic check ------------------------------------------------------------------


@dataclass(frozen=True)
class TurnTimeCheck:
    warned: list[int]
    missed: list[int]


def _staff_to_warn(delivery: Delivery) -> list[User]:
    ticket = delivery.ticket
    people = {u.pk: u for u in (ticket.assignee, delivery.notice.created_by) if u is not None}
    return [u for u in people.values() if u.is_active and u.email and u.is_support_staff]


def check_turn_times(*, now: datetime | None = None) -> TurnTimeCheck:
    """Warn staff of accepted work due soon, and record work that missed its target.

    Idempotent: each warning and each miss is claimed once with a conditional UPDATE; the
    warning mail is written to the outbox in the claiming transaction (sent after commit)."""
    now = now or timezone.now()
    open_work = Delivery.objects.filter(delivered_at__isnull=True)
    warned: list[int] = []
    missed: list[int] = []
    due_soon = open_work.filter(warned_at__isnull=True, warn_at__lte=now, due_at__gt=now)
    for delivery_id in list(due_soon.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            if not Delivery.objects.filter(pk=delivery_id, warned_at__isnull=True).update(
                warned_at=now
            ):
                continue
            delivery = Delivery.objects.select_related(
                "ticket__assignee", "notice__created_by"
            ).get(pk=delivery_id)
            for person in _staff_to_warn(delivery):
                queue_mail(
                    to_address=person.email,
                    template="billing/email/turn_time_warning",
                    context={"delivery": delivery},
                    ticket=delivery.ticket,
                    user=person,
                )
            record_event(
                ticket=delivery.ticket,
                actor=None,
                action="turn_time_warned",
                data={"delivery_id": delivery_id, "due_at": _iso(delivery.due_at)},
            )
            warned.append(delivery_id)
    for delivery_id, ticket_id, due in list(
        open_work.filter(missed_at__isnull=True, due_at__lte=now).values_list(
            "pk", "ticket_id", "due_at"
        )[:500]
    ):
        with transaction.atomic():
            if not Delivery.objects.filter(pk=delivery_id, missed_at__isnull=True).update(
                missed_at=due
            ):
                continue
            record_event(
                ticket=Ticket.objects.get(pk=ticket_id),
                actor=None,
                action="turn_time_missed",
                data={"delivery_id": delivery_id, "due_at": _iso(due)},
            )
            missed.append(delivery_id)
    return TurnTimeCheck(warned=warned, missed=missed)


# --- The report --------------------------------------------------------------------------


@dataclass(frozen=True)
class TurnTimeRow:
    month: date  # the first day of the month the work was accepted
    accepted: int
    delivered_on_time: int
    delivered_late: int
    open_on_track: int
    open_overdue: int
    rush: int


def _iso(due_at: datetime | None) -> str:
    assert due_at is not None  # noqa: S101 - open work here was filtered on its due time
    return due_at.isoformat()


def turn_time_by_month(*, now: datetime | None = None) -> list[TurnTimeRow]:
    """Accepted work per month of acceptance: delivered on time or late, open, overdue."""
    now = now or timezone.now()
    tz = settings.SUPPORTAL_VENDOR_TIME_ZONE
    counts: dict[date, dict[str, int]] = {}
    rows = Delivery.objects.values_list("accepted_at", "due_at", "delivered_at", "rush")
    for accepted_at, due_at, delivered_at, rush in rows:
        day = local_date(accepted_at, tz).replace(day=1)
        row = counts.setdefault(
            day,
            dict(accepted=0, on_time=0, late=0, on_track=0, overdue=0, rush=0),
        )
        row["accepted"] += 1
        row["rush"] += int(rush)
        if delivered_at is not None:
            late = due_at is not None and delivered_at > due_at
            row["late" if late else "on_time"] += 1
        elif due_at is not None and due_at <= now:
            row["overdue"] += 1
        else:
            row["on_track"] += 1
    return [
        TurnTimeRow(
            month=month,
            accepted=c["accepted"],
            delivered_on_time=c["on_time"],
            delivered_late=c["late"],
            open_on_track=c["on_track"],
            open_overdue=c["overdue"],
            rush=c["rush"],
        )
        for month, c in sorted(counts.items(), key=lambda item: item[0], reverse=True)
    ]
