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
from django.db.models import Q
from django.utils import timezone

from supportal.accounts.access import require_staff
from supportal.accounts.models import SupportRegion, User
from supportal.tickets.models import AuditEvent, Ticket
from supportal.tickets.search import index_ticket_columns

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


def rotation_for(ticket: Ticket) -> OnCallRotation | None:
    """The rotation that pages for this ticket, by the rule the admin shows.

    Candidates are the active rotations whose region is blank or the ticket's organization's
    support region, and whose product is blank or the ticket's product. The lowest
    ``priority`` wins; at equal priority the more specific scope (product and region, then
    product, then region, then neither); the name breaks what validation let through."""
    region_id = ticket.organization.support_region_id
    candidates = OnCallRotation.objects.filter(
        Q(region__isnull=True) | Q(region_id=region_id),
        Q(product__isnull=True) | Q(product_id=ticket.product_id),
        active=True,
    )
    return min(candidates, key=_rank, default=None)


def _rank(rotation: OnCallRotation) -> tuple[int, int, str, int]:
    specificity = 2 * (rotation.product_id is not None) + (rotation.region_id is not None)
    return (rotation.priority, -specificity, rotation.name, rotation.pk)


def page_if_after_hours(*, ticket: Ticket, now: datetime | None = None) -> Page | None:
    """Start paging for an urgent ticket filed outside the working hours of every region.

    Returns the new page; the caller enqueues its first notification after commit."""
    if not ticket.urgent:
        return None
    now = now or timezone.now()
    coverage = team_coverage()
    if coverage.has_hours and is_open(now, coverage):
        return None  # someone is at work: the ticket tops their queue
    rotation = rotation_for(ticket)
    chain = on_call_chain(rotation, now) if rotation is not None else []
    if not chain:
        # Never silently nobody: the region's lead, then the managers, are paged instead.
        log.error(
            "urgent ticket %s filed after hours but no on-call rotation with active members "
            "covers it: paging the region's lead",
            ticket.pk,
        )
        rotation = None
        chain = fallback_chain(ticket)
        if not chain:
            log.error("urgent ticket %s: no region lead or manager to page", ticket.pk)
            return None
    page, created = Page.objects.get_or_create(
        ticket=ticket,
        defaults={"rotation": rotation, "current_user": chain[0], "next_attempt_at": now},
    )
    if created and rotation is None:
        AuditEvent.objects.create(
            ticket=ticket,
            action=AuditEvent.Action.PAGED,
            data={"fallback": "region_lead", "user_id": chain[0].pk, "attempt": 0},
        )
    return page if created else None


def fallback_chain(ticket: Ticket) -> list[User]:
    """Who is paged when no rotation covers the ticket: the lead of the organization's
    support region, then every active manager."""
    # misc: no region (None) is a valid lookup here: it finds no lead.
    region = SupportRegion.objects.filter(pk=ticket.organization.support_region_id)  # type: ignore[misc]
    leads = User.objects.filter(pk__in=region.values("lead"), is_active=True)
    managers = User.objects.filter(role=User.Role.MANAGER, is_active=True).order_by("pk")
    chain = list(leads)
    return chain + [m for m in managers if m not in chain]


def chain_for(page: Page, at: datetime) -> list[User]:
    if page.rotation is not None:
        chain = on_call_chain(page.rotation, at)
        if chain:
            return chain
    return fallback_chain(page.ticket)


def paging_uncovered() -> bool:
    """True when no active rotation with an active member exists: after-hours urgent tickets
    would page the region's lead instead (a start-up check and the staff queue say so)."""
    return not OnCallRotation.objects.filter(active=True, members__user__is_active=True).exists()


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
        page = Page.objects.select_related("ticket__organization", "rotation").get(pk=page_id)
        if page.attempts_at_level >= settings.SUPPORTAL_PAGE_REPEATS_BEFORE_ESCALATION:
            chain = chain_for(page, now)
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
    require_staff(user, "acknowledge pages")
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
        if Ticket.objects.filter(pk=page.ticket_id, assignee__isnull=True).update(assignee=user):
            index_ticket_columns([page.ticket_id])
    return True


def cancel_page(*, ticket: Ticket) -> None:
    Page.objects.filter(ticket=ticket, state=Page.State.PAGING).update(state=Page.State.CANCELLED)


def cancel_page_if_closed(*, ticket: Ticket) -> None:
    if ticket.status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED):
        cancel_page(ticket=ticket)
