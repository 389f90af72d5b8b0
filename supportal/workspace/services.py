"""The workspace's write path: mentions in notes, automatic assignment, leave."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from supportal.accounts.models import User
from supportal.core.errors import NotPermitted
from supportal.core.links import absolute_url
from supportal.intake.compose import redact
from supportal.intake.models import NotificationKind
from supportal.intake.notify import notify_user
from supportal.tickets.models import AuditEvent, Reply, Ticket
from supportal.tickets.search import index_ticket_columns
from supportal.tickets.services import record_event

from .availability import at_work
from .mentions import handles_in
from .models import AgentProfile, Mention
from .queries import staff_by_handle

log = logging.getLogger(__name__)

MENTION_TEMPLATE = "workspace/email/mentioned"


# --- Mentions ----------------------------------------------------------------------------


def record_mentions(*, reply: Reply) -> list[Mention]:
    """The colleagues an internal note names with @ get a mention (their "mentioned me"
    list) and a mail. Public replies, customers' words and self-mentions mention nobody.

    Call inside the transaction that wrote the note: the mail goes after commit."""
    if not reply.internal or not reply.author.is_support_staff:
        return []
    named = [u for u in staff_by_handle(handles_in(reply.body)) if u.pk != reply.author_id]
    mentions = [
        Mention.objects.get_or_create(
            reply=reply,
            mentioned=user,
            defaults={
                "ticket": reply.ticket,
                "author": reply.author,
                "created_at": reply.created_at,
            },
        )[0]
        for user in named
    ]
    ticket = reply.ticket
    for mention in mentions:
        # No ticket on the mail: an answer to it must not land on the ticket as a public
        # reply. The note's text is redacted of the ticket's secrets like every mail.
        notify_user(
            user=mention.mentioned,
            template=MENTION_TEMPLATE,
            context={
                "author": reply.author.get_full_name(),
                "number": ticket.number,
                "subject": ticket.subject,
                "body": redact(reply.body, ticket),
                "note_url": absolute_url(f"{ticket.get_absolute_url()}#reply-{reply.pk}"),
                "mentions_url": absolute_url(reverse("workspace:mentions")),
            },
            kind=NotificationKind.REPLY,
        )
    return mentions


def mark_mentions_read(*, user: User, now: datetime | None = None) -> int:
    """Opening the list reads them all."""
    return Mention.objects.filter(mentioned=user, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


# --- Automatic assignment ----------------------------------------------------------------


def _cap(profile: AgentProfile | None) -> int:
    if profile is not None and profile.open_ticket_cap is not None:
        return profile.open_ticket_cap
    return settings.SUPPORTAL_AUTO_ASSIGN_CAP


def assignable_agents(ticket: Ticket, *, now: datetime) -> list[User]:
    """Who may take ``ticket`` now, next in turn first: agents of the ticket's region who
    are not on leave, know its product, are within their office hours and below their cap;
    next in turn is whoever was given a ticket automatically longest ago (or never)."""
    region = ticket.organization.support_region
    if region is None:
        return []
    knows_product = (
        Q(agent_profile__isnull=True)
        | Q(agent_profile__products__isnull=True)
        | Q(agent_profile__products=ticket.product_id)
    )
    agents = (
        User.objects.filter(role=User.Role.AGENT, is_active=True, support_region=region)
        .exclude(agent_profile__on_leave=True)
        .filter(knows_product)
        .select_related("agent_profile", "support_region")
        .annotate(
            open_count=Count(
                "assigned_tickets",
                filter=Q(assigned_tickets__status__in=Ticket.OPEN_STATUSES),
                distinct=True,
            )
        )
        .distinct()
    )
    ready = []
    for agent in agents:
        profile = getattr(agent, "agent_profile", None)
        if agent.open_count >= _cap(profile) or not at_work(agent, profile, now=now):
            continue
        ready.append(agent)

    def turn(agent: User) -> tuple[int, int]:
        profile = getattr(agent, "agent_profile", None)
        last = profile.last_auto_assignment_id if profile is not None else None
        return (last or 0, agent.pk)

    return sorted(ready, key=turn)


def auto_assign_ticket(*, ticket_id: int, now: datetime | None = None) -> User | None:
    """Give an open, unassigned ticket to the agent next in turn (see assignable_agents).

    Off unless SUPPORTAL_AUTO_ASSIGN. Safe to run twice and at once: the ticket's row is
    locked, and one already assigned is left alone. Returns the agent, or None."""
    if not settings.SUPPORTAL_AUTO_ASSIGN:
        return None
    now = now or timezone.now()
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("organization__support_region", "product")
            .filter(pk=ticket_id)
            .first()
        )
        if ticket is None or ticket.assignee_id is not None or not ticket.is_open:
            return None
        for agent in assignable_agents(ticket, now=now):
            profile, _created = AgentProfile.objects.get_or_create(user=agent)
            # The agent's row is the lock for their cap: two tickets assigned at once
            # count each other.
            profile = AgentProfile.objects.select_for_update().get(pk=profile.pk)
            held = Ticket.objects.filter(assignee=agent, status__in=Ticket.OPEN_STATUSES).count()
            if held >= _cap(profile):
                continue
            ticket.assignee = agent
            ticket.save(update_fields=["assignee", "updated_at"])
            index_ticket_columns([ticket.pk])
            event = record_event(
                ticket=ticket,
                actor=None,
                action=AuditEvent.Action.ASSIGNED,
                data={"from": None, "to": agent.pk, "automatic": True},
            )
            profile.last_auto_assigned_at = now
            profile.last_auto_assignment = event
            profile.save(update_fields=["last_auto_assigned_at", "last_auto_assignment"])
            return agent
    return None


def assign_waiting_tickets(*, now: datetime | None = None, limit: int = 200) -> int:
    """Tickets no agent could take when they came in (night, everyone at their cap), oldest
    first: run periodically while automatic assignment is on."""
    if not settings.SUPPORTAL_AUTO_ASSIGN:
        return 0
    waiting = Ticket.objects.filter(in_queue__in=[True], assignee__isnull=True).order_by(
        "-urgent", "received_at", "id"
    )
    ids = list(waiting.values_list("pk", flat=True)[:limit])
    return sum(1 for pk in ids if auto_assign_ticket(ticket_id=pk, now=now) is not None)


def set_on_leave(*, agent: User, actor: User, on_leave: bool) -> int:
    """Mark an agent on leave (or back). On leave, their open tickets go back to the pool
    (unassigned, one audit row each) and, with automatic assignment on, to whoever is next
    in turn. Returns how many tickets went back. Managers only, or the agent themself."""
    if not (actor.is_manager or actor.pk == agent.pk):
        raise NotPermitted(_("Only a manager marks someone else on leave."))
    if not agent.is_support_staff:
        raise NotPermitted(_("Only support staff go on leave from tickets."))
    with transaction.atomic():
        profile, _created = AgentProfile.objects.get_or_create(user=agent)
        profile = AgentProfile.objects.select_for_update().get(pk=profile.pk)
        profile.on_leave = on_leave
        profile.save(update_fields=["on_leave"])
        if not on_leave:
            return 0
        returned = list(
            Ticket.objects.select_for_update()
            .filter(assignee=agent, status__in=Ticket.OPEN_STATUSES)
            .order_by("pk")
        )
        for ticket in returned:
            ticket.assignee = None
            ticket.save(update_fields=["assignee", "updated_at"])
            index_ticket_columns([ticket.pk])
            record_event(
                ticket=ticket,
                actor=actor,
                action=AuditEvent.Action.ASSIGNED,
                data={"from": agent.pk, "to": None, "reason": "on_leave"},
            )
        ids = [t.pk for t in returned]
        if ids and settings.SUPPORTAL_AUTO_ASSIGN:
            # A handful of tickets: given out here, once the leave is committed.
            transaction.on_commit(lambda: [auto_assign_ticket(ticket_id=pk) for pk in ids])
    log.info("agent %s on leave: %d open tickets back to the pool", agent.pk, len(ids))
    return len(ids)
