"""Merge a duplicate into another ticket, and split a reply off into a ticket of its own.

Both keep the policy's "one question per ticket": a customer who asked the same thing
twice has one conversation, and a reply that asks a second question becomes a new ticket
linked to the first."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supportal.accounts.models import User
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation

from .access import tickets_visible_to
from .hooks import hooks
from .models import Attachment, AuditEvent, Reply, Ticket
from .search import index_tickets
from .services import TicketDraft, after_status_change, open_ticket, record_event


def _merged_description(source: Ticket) -> str:
    return f"*Merged from {source.number}: {source.subject}*\n\n{source.description}"


def check_merge(*, source: Ticket, target: Ticket) -> None:
    """Refuse a merge that would lose or expose something. RuleViolation says why."""
    if source.pk == target.pk:
        raise RuleViolation("same_ticket", _("A ticket cannot be merged into itself."))
    if source.is_merged:
        raise RuleViolation(
            "already_merged", f"{source.number} was already merged into another ticket."
        )
    if target.is_merged:
        raise RuleViolation(
            "target_merged",
            _("%(number)s was itself merged into another ticket: merge into that one.")
            % {"number": target.number},
        )
    if target.is_closed:
        raise RuleViolation(
            "target_closed",
            _("%(number)s is closed: merge into an open ticket.") % {"number": target.number},
        )
    if source.organization_id != target.organization_id:
        raise RuleViolation(
            "different_organization",
            _(
                "Only tickets of the same organization can be merged: each customer sees only "
                "their organization's tickets."
            ),
        )
    if (
        source.requester_id != target.requester_id
        and not tickets_visible_to(source.requester).filter(pk=target.pk).exists()
    ):
        raise RuleViolation(
            "requester_cannot_see_target",
            f"{source.requester.get_full_name()} could not see {target.number}, so would lose "
            f"their conversation: merge the other way, or answer both.",
        )


def merge_tickets(*, source: Ticket, target: Ticket, actor: User) -> Ticket:
    """Merge the duplicate ``source`` into ``target``; return the target.

    The source's description becomes a reply on the target in its requester's name (at
    the time it was filed), and its replies and attachments move over. The source is
    closed and points at the target, whose address its own then leads to. Both tickets
    record it in their audit trail; their requesters are told (``tickets_merged``).

    Preconditions: the actor is support staff; see ``check_merge`` for the rest."""
    if not actor.is_support_staff:
        raise NotPermitted("Only support staff merge tickets.")
    with transaction.atomic():
        # Locked in id order: two agents merging a pair each way cannot deadlock.
        locked = {
            t.pk: t
            for t in Ticket.objects.select_for_update()
            .select_related("requester", "organization")
            .filter(pk__in=[source.pk, target.pk])
            .order_by("pk")
        }
        source, target = locked[source.pk], locked[target.pk]
        check_merge(source=source, target=target)
        opening = Reply.objects.create(
            ticket=target,
            author=source.requester,
            body=_merged_description(source),
            created_at=source.received_at,
        )
        reply_count = Reply.objects.filter(ticket=source).update(ticket=target)
        # The files filed with the source go with its description; reply files with
        # their reply.
        attachment_count = Attachment.objects.filter(ticket=source).count()
        Attachment.objects.filter(ticket=source, reply__isnull=True).update(
            ticket=target, reply=opening
        )
        Attachment.objects.filter(ticket=source).update(ticket=target)
        now = timezone.now()
        old_status = source.status
        source.merged_into = target
        source.status = Ticket.Status.CLOSED
        source.closed_at = now
        source.resolved_at = source.resolved_at or now
        source.save(
            update_fields=["merged_into", "status", "closed_at", "resolved_at", "updated_at"]
        )
        # The moved replies and the source's description are the target's text now.
        index_tickets([source.pk, target.pk])
        # Tickets merged into the source before now follow it to the target.
        Ticket.objects.filter(merged_into=source).update(merged_into=target)
        target.save(update_fields=["updated_at"])
        record_event(
            ticket=source,
            actor=actor,
            action=AuditEvent.Action.MERGED_INTO,
            data={
                "ticket_id": target.pk,
                "ticket_number": target.number,
                "from": old_status,
                "replies": reply_count,
            },
        )
        record_event(
            ticket=target,
            actor=actor,
            action=AuditEvent.Action.MERGED_FROM,
            data={
                "ticket_id": source.pk,
                "ticket_number": source.number,
                "reply_id": opening.pk,
                "replies": reply_count,
                "attachments": attachment_count,
            },
        )
        if old_status != Ticket.Status.CLOSED:
            # The SLA clocks stop and on-call pages end as for any close; the requester's
            # mail is the merge's own (intake skips the status mail of a merged ticket).
            after_status_change(
                ticket=source, old_status=old_status, new_status=Ticket.Status.CLOSED, actor=actor
            )
        hooks.notify_merge(source=source, target=target)
    return target


@dataclass(frozen=True)
class TicketLinks:
    merged_into: Ticket | None
    merged_from: list[Ticket]
    split_from: Ticket | None
    split_off: list[Ticket]


def links_visible_to(user: User, ticket: Ticket) -> TicketLinks:
    """The tickets linked to this one by merge or split, as far as the user may see them
    (a split-off ticket may belong to a colleague of the requester)."""
    visible = tickets_visible_to(user)

    def one(pk: int | None) -> Ticket | None:
        return visible.filter(pk=pk).first() if pk is not None else None

    return TicketLinks(
        merged_into=one(ticket.merged_into_id),
        merged_from=list(visible.filter(merged_into=ticket).order_by("received_at", "id")),
        split_from=one(ticket.split_from_id),
        split_off=list(visible.filter(split_from=ticket).order_by("received_at", "id")),
    )


@dataclass(frozen=True)
class SplitResult:
    ticket: Ticket
    reply: Reply


def split_reply(*, reply: Reply, actor: User, subject: str = "") -> SplitResult:
    """Make a customer's reply that asks a second question into a new ticket, linked to
    the one it was asked on (one question per ticket).

    The new ticket is filed for the reply's author, with the same product, kind and site,
    received when the reply was written; the reply's files go with it. The reply stays
    where it was, marked as split. Preconditions: the actor is support staff; the reply
    is a customer's public reply not split before."""
    if not actor.is_support_staff:
        raise NotPermitted("Only support staff split tickets.")
    if len(subject) > 200:
        raise InvalidInput({"subject": _("Keep the subject under 200 characters.")})
    with transaction.atomic():
        reply = (
            Reply.objects.select_for_update().select_related("author", "ticket").get(pk=reply.pk)
        )
        ticket = Ticket.objects.select_related("product").get(pk=reply.ticket_id)
        author = reply.author
        if reply.internal or not author.is_customer:
            raise RuleViolation(
                "not_a_customer_reply", _("Only a customer's reply can be split off.")
            )
        if Ticket.objects.filter(split_from_reply=reply).exists():
            raise RuleViolation("already_split", _("This reply was already split into a ticket."))
        if ticket.is_merged:
            raise RuleViolation("ticket_merged", _("This ticket was merged into another ticket."))
        if not author.is_active or author.organization_id != ticket.organization_id:
            raise RuleViolation(
                "author_left",
                _("The reply's author is no longer a customer of this organization."),
            )
        draft = TicketDraft(
            product=ticket.product.slug,
            kind=ticket.kind,
            subject=(subject.strip() or f"Split from {ticket.number}: {ticket.subject}")[:200],
            description=reply.body,
            site_name=ticket.site_name,
            site_url=ticket.site_url,
        )
        new = open_ticket(
            requester=author,
            draft=draft,
            channel=ticket.channel,
            received_at=reply.created_at,
            split_from=ticket,
        )
        new.split_from_reply = reply
        new.save(update_fields=["split_from_reply"])
        Attachment.objects.filter(reply=reply).update(ticket=new, reply=None)
        record_event(
            ticket=ticket,
            actor=actor,
            action=AuditEvent.Action.SPLIT_OFF,
            data={"reply_id": reply.pk, "ticket_id": new.pk, "ticket_number": new.number},
        )
        record_event(
            ticket=new,
            actor=actor,
            action=AuditEvent.Action.SPLIT_FROM,
            data={"reply_id": reply.pk, "ticket_id": ticket.pk, "ticket_number": ticket.number},
        )
    return SplitResult(ticket=new, reply=reply)
