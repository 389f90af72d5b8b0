"""SLA clocks: started at receipt, paused while pending the customer, stopped by a reply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from supportal.accounts.models import Organization, Plan
from supportal.core.dates import format_date
from supportal.tickets.models import AuditEvent, Reply, Ticket
from supportal.tickets.search import index_ticket_columns

from . import events
from .business_time import (
    BusinessCalendar,
    Coverage,
    NoBusinessHours,
    add_business_time,
    business_time_between,
    is_open,
)
from .calendars import calendar_for_organization, holidays_for_region, sla_policies
from .models import SlaClock, SlaPolicy

Metric = SlaClock.Metric


def default_policy() -> SlaPolicy:
    """Used only when the admin deleted the "Default" row: the model's defaults, which are
    the policy's (first response within 4 business hours). The row is the one source of
    the targets; there is no setting beside it."""
    return SlaPolicy(name="Default")


def policy_for(*, plan: Plan | None, kind: str = "") -> SlaPolicy:
    """The most specific policy: plan and kind, then kind, then plan, then the default."""
    plan_id = plan.pk if plan is not None else None
    candidates = [
        policy
        for policy in sla_policies()
        if policy.plan_id in (plan_id, None) and policy.kind in (kind, "")
    ]
    best, best_score = None, -1
    for policy in candidates:
        score = (2 if policy.kind else 0) + (1 if policy.plan_id else 0)
        if score > best_score:
            best, best_score = policy, score
    return best or default_policy()


def _due(start: datetime, minutes: float, calendar: BusinessCalendar | Coverage) -> datetime | None:
    """``minutes`` of business time after ``start``; None when the calendar has no hours."""
    try:
        return add_business_time(start, timedelta(minutes=minutes), calendar)
    except NoBusinessHours:
        return None


def start_clocks(*, ticket: Ticket) -> datetime | None:
    """Start a new ticket's clocks on its organization's calendar, inside open_ticket's
    transaction. Returns the first-response due time, which open_ticket writes."""
    calendar = calendar_for_organization(ticket.organization)
    policy = policy_for(plan=ticket.organization.plan, kind=ticket.kind)
    start = ticket.received_at
    due = _due(start, policy.first_response_minutes, calendar)
    clocks = [
        SlaClock(
            ticket=ticket,
            metric=Metric.FIRST_RESPONSE,
            target_minutes=policy.first_response_minutes,
            started_at=start,
            due_at=due,
        )
    ]
    if policy.resolution_minutes:
        clocks.append(
            SlaClock(
                ticket=ticket,
                metric=Metric.RESOLUTION,
                target_minutes=policy.resolution_minutes,
                started_at=start,
                due_at=_due(start, policy.resolution_minutes, calendar),
            )
        )
    SlaClock.objects.bulk_create(clocks)
    return due


def _stop(clock: SlaClock, now: datetime) -> None:
    clock.stopped_at = now
    fields = ["stopped_at"]
    late = clock.paused_at is None and clock.due_at is not None and now > clock.due_at
    if late and clock.breached_at is None:
        clock.breached_at = clock.due_at
        fields.append("breached_at")
        if clock.metric == Metric.FIRST_RESPONSE:
            Ticket.objects.filter(pk=clock.ticket_id).update(sla_breached=True)
            index_ticket_columns([clock.ticket_id])
    clock.save(update_fields=fields)


def follow_reply(*, ticket: Ticket, reply: Reply) -> None:
    """A public staff reply stops the response clocks; a customer's starts the next-reply one."""
    if reply.internal:
        return
    now = reply.created_at
    running = SlaClock.objects.filter(
        ticket=ticket,
        stopped_at__isnull=True,
        metric__in=[Metric.FIRST_RESPONSE, Metric.NEXT_REPLY],
    )
    if reply.author.is_support_staff:
        for clock in running.select_for_update():
            _stop(clock, now)
        return
    if ticket.is_closed or ticket.first_responded_at is None or running.exists():
        return
    policy = policy_for(plan=ticket.organization.plan, kind=ticket.kind)
    if not policy.next_reply_minutes:
        return
    calendar = calendar_for_organization(ticket.organization)
    SlaClock.objects.create(
        ticket=ticket,
        metric=Metric.NEXT_REPLY,
        target_minutes=policy.next_reply_minutes,
        started_at=now,
        due_at=_due(now, policy.next_reply_minutes, calendar),
    )


def follow_status(*, ticket: Ticket, old_status: str, new_status: str) -> None:
    """Pause while pending the customer, resume after, stop on resolve or close."""
    now = timezone.now()
    clocks = SlaClock.objects.select_for_update().filter(ticket=ticket, stopped_at__isnull=True)
    if new_status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED):
        for clock in clocks:
            _stop(clock, now)
        return
    calendar = calendar_for_organization(ticket.organization)
    if new_status == Ticket.Status.PENDING_CUSTOMER:
        for clock in clocks.filter(paused_at__isnull=True):
            left = (
                business_time_between(now, clock.due_at, calendar) if clock.due_at else timedelta()
            )
            clock.paused_at = now
            clock.remaining_seconds = int(left.total_seconds())
            clock.due_at = None
            clock.save(update_fields=["paused_at", "remaining_seconds", "due_at"])
            if clock.metric == Metric.FIRST_RESPONSE:
                Ticket.objects.filter(pk=ticket.pk).update(first_response_due=None)
    elif old_status == Ticket.Status.PENDING_CUSTOMER:
        for clock in clocks.filter(paused_at__isnull=False):
            due = _due(now, (clock.remaining_seconds or 0) / 60, calendar)
            clock.paused_at = None
            clock.remaining_seconds = None
            clock.due_at = due
            clock.save(update_fields=["paused_at", "remaining_seconds", "due_at"])
            if clock.metric == Metric.FIRST_RESPONSE:
                Ticket.objects.filter(pk=ticket.pk).update(first_response_due=due)


def _record(ticket_id: int, action: str, data: dict[str, Any]) -> None:
    AuditEvent.objects.create(ticket_id=ticket_id, actor=None, action=action, data=data)


@dataclass(frozen=True)
class ClockCheck:
    warned_clock_ids: list[int]
    breached: int


def check_clocks(*, now: datetime | None = None) -> ClockCheck:
    """Claim due warnings and record breaches. Idempotent: each step is claimed once, a
    warning with its mail (sent by the outbox after commit)."""
    now = now or timezone.now()
    running = SlaClock.objects.filter(
        stopped_at__isnull=True, paused_at__isnull=True, due_at__isnull=False
    )
    warned: list[int] = []
    breached = 0
    horizon = now + timedelta(minutes=settings.SUPPORTAL_SLA_WARNING_MINUTES)
    for clock_id, ticket_id in running.filter(
        warned_at__isnull=True, breached_at__isnull=True, due_at__gt=now, due_at__lte=horizon
    ).values_list("pk", "ticket_id")[:500]:
        with transaction.atomic():
            if not SlaClock.objects.filter(pk=clock_id, warned_at__isnull=True).update(
                warned_at=now
            ):
                continue
            _record(ticket_id, AuditEvent.Action.SLA_WARNED, {"clock_id": clock_id})
            events.warning_claimed.send(
                sender=SlaClock,
                clock=SlaClock.objects.select_related(
                    "ticket__assignee", "ticket__organization__support_region__lead"
                ).get(pk=clock_id),
            )
            warned.append(clock_id)
    for clock_id, ticket_id, due, metric in running.filter(
        breached_at__isnull=True, due_at__lte=now
    ).values_list("pk", "ticket_id", "due_at", "metric")[:500]:
        with transaction.atomic():
            if not SlaClock.objects.filter(pk=clock_id, breached_at__isnull=True).update(
                breached_at=due
            ):
                continue
            if metric == Metric.FIRST_RESPONSE:
                Ticket.objects.filter(pk=ticket_id).update(sla_breached=True)
                index_ticket_columns([ticket_id])
            _record(ticket_id, AuditEvent.Action.SLA_BREACHED, {"metric": metric})
            breached += 1
    return ClockCheck(warned_clock_ids=warned, breached=breached)


@dataclass(frozen=True)
class ClockView:
    """What the queue and the ticket page show about a ticket's first-response clock."""

    state: str  # "met", "breached", "paused", "warning", "ok", "none"
    due_at: datetime | None
    remaining: timedelta | None

    @property
    def remaining_label(self) -> str:
        if self.remaining is None:
            return ""
        minutes = int(self.remaining.total_seconds() // 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


def clock_view(
    *,
    ticket: Ticket,
    now: datetime | None = None,
    calendar: BusinessCalendar | Coverage | None = None,
) -> ClockView:
    now = now or timezone.now()
    if ticket.first_responded_at is not None:
        return ClockView("breached" if ticket.sla_breached else "met", None, None)
    if ticket.sla_breached:
        return ClockView("breached", ticket.first_response_due, None)
    if ticket.first_response_due is None:
        return ClockView("paused" if ticket.status == Ticket.Status.PENDING_CUSTOMER else "none",
                         None, None)  # fmt: skip
    if ticket.first_response_due <= now:
        return ClockView("breached", ticket.first_response_due, timedelta(0))
    calendar = calendar or calendar_for_organization(ticket.organization)
    remaining = business_time_between(now, ticket.first_response_due, calendar)
    warn = timedelta(minutes=settings.SUPPORTAL_SLA_WARNING_MINUTES)
    return ClockView("warning" if remaining <= warn else "ok", ticket.first_response_due, remaining)


def expert_turnaround_due(*, organization: Organization, start: datetime) -> datetime | None:
    """When expert-services work is due: N business days (default 2) after ``start``."""
    hours = settings.SUPPORTAL_EXPERT_TURNAROUND_DAYS * settings.SUPPORTAL_BUSINESS_DAY_HOURS
    return _due(start, hours * 60, calendar_for_organization(organization))


ZONE_NAMES = {
    "America/Chicago": gettext_lazy("Central Time"),
    "Europe/Madrid": gettext_lazy("Central European Time"),
    "Asia/Kolkata": gettext_lazy("India Standard Time"),
}


@dataclass(frozen=True)
class Expectation:
    due_at: datetime | None
    message: str


def format_business_hours(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)d business hour", "%(count)d business hours", hours) % {
            "count": hours
        }
    return ngettext("%(count)d business minute", "%(count)d business minutes", minutes) % {
        "count": minutes
    }


def _long_date(value: datetime) -> str:
    """``value``'s weekday, day, month and year in the active language ("Friday 04 December
    2026")."""
    return format_date(value, "weekday_long_date")


def default_first_response_label() -> str:
    """The default first-response target in words ("4 business hours"), from the policy row."""
    return format_business_hours(policy_for(plan=None).first_response_minutes)


def expectation_for(*, organization: Organization, now: datetime | None = None) -> Expectation:
    """What a customer filing now should expect, from the same calendars as the clocks."""
    now = now or timezone.now()
    calendar = calendar_for_organization(organization)
    policy = policy_for(plan=organization.plan)
    within = format_business_hours(policy.first_response_minutes)
    due = _due(now, policy.first_response_minutes, calendar)
    if due is None:
        return Expectation(None, _("We answer within %(within)s.") % {"within": within})
    tz = calendar.tz if isinstance(calendar, BusinessCalendar) else timezone.get_current_timezone()
    local_due = due.astimezone(tz)
    zone = str(ZONE_NAMES.get(str(tz), local_due.strftime("%Z")))
    local_now = now.astimezone(tz)
    if local_due.date() == local_now.date():
        day = _("today")
    elif local_due.date() - local_now.date() > timedelta(days=6):
        day = format_date(local_due, "weekday_long_day")
    else:
        day = dateformat.format(local_due, "l")
    when = f"{day} {local_due:%H:%M} {zone}"
    reason = _closed_reason(calendar, organization, now)
    if reason:
        return Expectation(
            due,
            _("We answer within %(within)s; %(reason)s, expect a reply by %(when)s.")
            % {"within": within, "reason": reason, "when": when},
        )
    return Expectation(
        due,
        _("We answer within %(within)s: expect a reply by %(when)s.")
        % {"within": within, "when": when},
    )


def _closed_reason(
    calendar: BusinessCalendar | Coverage, organization: Organization, now: datetime
) -> str:
    if is_open(now, calendar):
        return ""
    if not isinstance(calendar, BusinessCalendar) or organization.support_region is None:
        return _("our offices are closed right now")
    local = now.astimezone(calendar.tz)
    # The calendar knows the closed dates; only their names need the database.
    closed_today = local.date() in calendar.closed
    holiday = closed_today and holidays_for_region(organization.support_region).get(local.date())
    if holiday:
        return _("our offices are closed today for %(holiday)s") % {"holiday": holiday}
    if local.weekday() >= 5:
        return _("our offices are closed for the weekend")
    spans = calendar.hours.get(local.weekday(), ())
    if spans and local.time() < spans[0][0]:
        return _("our office opens at %(time)s") % {"time": f"{spans[0][0]:%H:%M}"}
    return _("our office has closed for the day")


def engineering_expectation(*, ticket: Ticket) -> Expectation | None:
    """What the customer should expect once their ticket waits on the programming staff
    ("questions that require input from our programming staff will take longer"): since
    when, and an update within SUPPORTAL_ENGINEERING_TURNAROUND_DAYS business days. None
    when the ticket is not with engineering or is closed."""
    since = ticket.engineering_escalated_at
    if since is None or ticket.is_closed:
        return None
    calendar = calendar_for_organization(ticket.organization)
    days = settings.SUPPORTAL_ENGINEERING_TURNAROUND_DAYS
    due = _due(since, days * settings.SUPPORTAL_BUSINESS_DAY_HOURS * 60, calendar)
    tz = calendar.tz if isinstance(calendar, BusinessCalendar) else timezone.get_current_timezone()
    first = format_business_hours(
        policy_for(plan=ticket.organization.plan, kind=ticket.kind).first_response_minutes
    )
    local_since = since.astimezone(tz)
    values = {"since": _long_date(local_since), "first": first, "days": days}
    if due is None:
        message = ngettext(
            "Escalated to our programming staff on %(since)s. Questions that need our "
            "programming staff take longer than our %(first)s first response: we expect to "
            "update you within %(days)d business day.",
            "Escalated to our programming staff on %(since)s. Questions that need our "
            "programming staff take longer than our %(first)s first response: we expect to "
            "update you within %(days)d business days.",
            days,
        )
        return Expectation(None, message % values)
    message = ngettext(
        "Escalated to our programming staff on %(since)s. Questions that need our "
        "programming staff take longer than our %(first)s first response: we expect to "
        "update you within %(days)d business day, by %(due)s.",
        "Escalated to our programming staff on %(since)s. Questions that need our "
        "programming staff take longer than our %(first)s first response: we expect to "
        "update you within %(days)d business days, by %(due)s.",
        days,
    )
    return Expectation(due, message % {**values, "due": _long_date(due.astimezone(tz))})
