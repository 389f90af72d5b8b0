"""On-call paging for urgent tickets filed while every office is closed.

A page repeats every N minutes to the person on call, escalates to the next member after
M unanswered notifications, and stops when someone acknowledges. Its whole state is a
database row, so a restarted consumer resumes it."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from supportal.accounts.models import User
from supportal.tickets.models import AuditEvent, Ticket

from .business_time import is_open
from .calendars import team_coverage
from .models import OnCallRotation, Page

log = logging.getLogger(__name__)


def on_call_chain(rotation: OnCallRotation, at: datetime) -> list[User]:
    """Who is paged, in order: an override first, then the person on shift, then the rest."""
    members = [m.user for m in rotation.members.select_related("user") if m.user.is_active]
    if members:
        tz = ZoneInfo(rotation.timezone)
        local = at.astimezone(tz).replace(tzinfo=None)
        first_handover = datetime.combine(rotation.starts_on, rotation.handover_time)
        shift = (local - first_handover) // timedelta(days=rotation.shift_days)
        index = shift % len(members)
        members = members[index:] + members[:index]
    override = (
        rotation.overrides.select_related("user")
        .filter(starts_at__lte=at, ends_at__gt=at, user__is_active=True)
        .order_by("-starts_at")
        .first()
    )
    if override is not None:
        members = [override.user] + [u for u in members if u.pk != override.user_id]
    return members


def page_if_after_hours(*, ticket: Ticket, now: datetime | None = None) -> Page | None:
    """Start paging for an urgent ticket filed outside the working hours of every region.

    Returns the new page; the caller enqueues its first notification after commit."""
    if not ticket.urgent:
        return None
    now = now or timezone.now()
    coverage = team_coverage()
    if coverage.has_hours and is_open(now, coverage):
        return None  # someone is at work: the ticket tops their queue
    rotation = OnCallRotation.objects.filter(active=True).order_by("pk").first()
    if rotation is None:
        log.warning("urgent ticket %s filed after hours but no on-call rotation", ticket.pk)
        return None
    chain = on_call_chain(rotation, now)
    if not chain:
        log.warning("on-call rotation %s has no active members", rotation.pk)
        return None
    page, created = Page.objects.get_or_create(
        ticket=ticket,
        defaults={"rotation": rotation, "current_user": chain[0], "next_attempt_at": now},
    )
    return page if created else None


def run_page(*, page_id: int, now: datetime | None = None) -> bool:
    """Advance a page when it is due (repeat or escalate). Returns whether to notify now."""
    now = now or timezone.now()
    repeat = timedelta(minutes=settings.SUPPORTAL_PAGE_REPEAT_MINUTES)
    with transaction.atomic():
        claimed = Page.objects.filter(
            pk=page_id, state=Page.State.PAGING, next_attempt_at__lte=now
        ).update(next_attempt_at=now + repeat)
        if claimed != 1:
            return False
        page = Page.objects.select_related("ticket", "rotation").get(pk=page_id)
        if page.attempts_at_level >= settings.SUPPORTAL_PAGE_REPEATS_BEFORE_ESCALATION:
            chain = on_call_chain(page.rotation, now)
            page.escalation_level += 1
            page.attempts_at_level = 0
            page.current_user = chain[page.escalation_level % len(chain)] if chain else None
            AuditEvent.objects.create(
                ticket=page.ticket,
                action=AuditEvent.Action.PAGE_ESCALATED,
                data={"level": page.escalation_level, "user_id": page.current_user_id},
            )
        page.attempts += 1
        page.attempts_at_level += 1
        page.save(
            update_fields=["escalation_level", "attempts_at_level", "attempts", "current_user"]
        )
        AuditEvent.objects.create(
            ticket=page.ticket,
            action=AuditEvent.Action.PAGED,
            data={"user_id": page.current_user_id, "attempt": page.attempts},
        )
    return True


def due_page_ids(*, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    due = Page.objects.filter(state=Page.State.PAGING, next_attempt_at__lte=now)
    return list(due.values_list("pk", flat=True)[:200])


def acknowledge_page(*, page: Page, user: User) -> bool:
    """Stop the paging; the acknowledger takes the ticket when nobody has it."""
    if not user.is_support_staff:
        raise PermissionError("Only support staff acknowledge pages.")
    now = timezone.now()
    with transaction.atomic():
        done = Page.objects.filter(pk=page.pk, state=Page.State.PAGING).update(
            state=Page.State.ACKNOWLEDGED, acknowledged_at=now, acknowledged_by=user
        )
        if not done:
            return False
        AuditEvent.objects.create(
            ticket_id=page.ticket_id,
            actor=user,
            action=AuditEvent.Action.PAGE_ACKNOWLEDGED,
            data={"attempts": page.attempts},
        )
        Ticket.objects.filter(pk=page.ticket_id, assignee__isnull=True).update(assignee=user)
    return True


def cancel_page(*, ticket: Ticket) -> None:
    Page.objects.filter(ticket=ticket, state=Page.State.PAGING).update(state=Page.State.CANCELLED)


def cancel_page_if_closed(*, ticket: Ticket) -> None:
    if ticket.status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED):
        cancel_page(ticket=ticket)
