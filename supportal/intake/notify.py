"""Outgoing notifications: render a mail into the outbox; a job sends it (see outbox.py).

Other apps call :func:`notify_user`. Example, from billing when a quote waits::

    from supportal.intake.notify import notify_user
    from supportal.intake.models import NotificationKind

    notify_user(
        user=ticket.requester,
        template="billing/email/notice_waiting",   # renders _subject.txt, .txt and .html
        context={"notice": notice},
        ticket=ticket,                             # threads it and tags [SUP-1042]
        kind=NotificationKind.BILLING,             # the user's preference that governs it
    )

Call it inside your transaction: the row is written with your change and the send job is
enqueued on commit, so a rolled-back change sends nothing. Secrets of the ticket are
redacted from every notification whatever the template puts in.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from supportal.accounts.models import Invitation, User
from supportal.core.languages import speaking_to
from supportal.core.links import absolute_url
from supportal.sla.models import SlaClock
from supportal.sla.services import expectation_for
from supportal.tickets.models import Reply, Ticket

from . import tasks
from .compose import can_get_mail, may_receive, new_message_id, redact, render_into, thread_for
from .models import NotificationKind, OutboundEmail, TicketThread
from .reply_address import tokened_message_id

EMAIL_TEMPLATES = "intake/email/"


def start_thread(ticket: Ticket) -> TicketThread:
    """A ticket just filed (in this transaction) gets its thread; nobody else can have."""
    return TicketThread.objects.create(
        ticket=ticket, root_message_id=new_message_id(f"ticket-{ticket.pk}")
    )


def adopt_thread(*, ticket: Ticket, message_id: str) -> None:
    """Make a customer's mail the root of the ticket's thread, including notifications
    already in the outbox for it (written by open_ticket's hooks in this transaction)."""
    thread = thread_for(ticket, root_message_id=message_id)
    if thread.root_message_id == message_id:
        return
    TicketThread.objects.filter(pk=thread.pk).update(root_message_id=message_id)
    OutboundEmail.objects.filter(ticket=ticket, status=OutboundEmail.Status.PENDING).update(
        in_reply_to=message_id, references=message_id
    )


def queue_mail(
    *,
    to_address: str,
    template: str,
    context: dict[str, Any],
    ticket: Ticket | None = None,
    user: User | None = None,
    auto_reply: bool = False,
    in_reply_to: str = "",
    language: str = "",
) -> OutboundEmail:
    """Render a mail into the outbox and send it after commit. No preference check. The
    mail is in ``user``'s language, or in ``language`` when there is no user."""
    outbound = OutboundEmail(
        user=user,
        ticket=ticket,
        template=template[:100],
        to_address=to_address,
        message_id=_message_id(ticket, to_address),
        auto_reply=auto_reply,
    )
    render_into(
        outbound,
        context=context,
        ticket=ticket,
        user=user,
        in_reply_to=in_reply_to,
        language=language,
    )
    outbound.save(force_insert=True)
    _send_after_commit(outbound)
    return outbound


def queue_mail_rendered_when_sent(
    *, user: User, template: str, context: dict[str, Any], ticket: Ticket, kind: str
) -> OutboundEmail:
    """Write a mail that the send job renders, preference check included: the cheapest
    write for a notification on a busy path (ticket filing). ``context`` holds only plain
    values (it is stored as JSON); the ticket and recipient are added when rendered."""
    outbound = OutboundEmail.objects.create(
        user=user,
        ticket=ticket,
        template=template[:100],
        to_address=user.email,
        message_id=_message_id(ticket, user.email),
        deferred={"kind": kind, "context": context},
    )
    _send_after_commit(outbound)
    return outbound


def _message_id(ticket: Ticket | None, to_address: str) -> str:
    """A mail about a ticket carries the recipient's reply token (see reply_address.py)."""
    if ticket is None:
        return new_message_id("n")
    return tokened_message_id(
        label=(ticket.number or "n").lower(), ticket_id=ticket.pk, address=to_address
    )


def _send_after_commit(outbound: OutboundEmail) -> None:
    transaction.on_commit(lambda: tasks.send_notification_task(outbound.pk))


def notify_user(
    *,
    user: User,
    template: str,
    context: dict[str, Any] | None = None,
    ticket: Ticket | None = None,
    kind: str = NotificationKind.REPLY,
) -> OutboundEmail | None:
    """Mail a user unless they muted this kind of notification (or cannot get mail).

    ``template`` names three templates: ``<template>_subject.txt``, ``<template>.txt`` and
    (optional) ``<template>.html``. The context also holds ``ticket``, ``ticket_url``,
    ``portal_url``, ``preferences_url`` and ``recipient``. Returns the outbox row, or
    None when nothing is sent."""
    if not may_receive(user, kind):
        return None
    return queue_mail(
        to_address=user.email, template=template, context=context or {}, ticket=ticket, user=user
    )


def notify_invitation(*, invitation: Invitation, raw_token: str) -> OutboundEmail:
    """The invitation to join an organization, with its single-use link. There is no
    account yet, so no preference applies; it is in the language of the organization's
    region."""
    inviter = invitation.invited_by
    region = invitation.organization.support_region
    local_expiry = timezone.localtime(invitation.expires_at)
    return queue_mail(
        to_address=invitation.email,
        template="accounts/email/invitation",
        context={
            "name": invitation.name,
            "organization_name": invitation.organization.name,
            "inviter": inviter.get_full_name() if inviter else "Our support team",
            "expires": local_expiry,  # formatted in the invitee's language
            "accept_url": absolute_url(reverse("accounts:accept_invitation", args=[raw_token])),
        },
        language=region.language if region is not None else "",
    )


def notify_sla_warning(*, clock: SlaClock) -> int:
    """Write the warning that a ticket is about to breach, for its assignee and its region's
    lead, to the outbox: called in the transaction that claims the warning, so it is sent
    once, after commit. Returns how many mails were written."""
    ticket = clock.ticket
    region = ticket.organization.support_region
    people = {u.pk: u for u in (ticket.assignee, region.lead if region else None) if u}
    # The label is lazy: each recipient reads it in their own language.
    context = {"metric": SlaClock.Metric(clock.metric).label, "due_at": clock.due_at}
    written = 0
    for person in people.values():
        if person.is_active and person.email:
            queue_mail(
                to_address=person.email,
                template="sla/email/warning",
                context=context,
                ticket=ticket,
                user=person,
            )
            written += 1
    return written


# --- The ticket notifications, called by the ticket services (tickets.hooks) ------------


def notify_ticket_opened(*, ticket: Ticket) -> OutboundEmail | None:
    """Tell the requester we have it: its number and when to expect an answer. The mail is
    rendered by the send job, after the filing's transaction (the busiest write)."""
    requester = ticket.requester
    if ticket.follow_up_of_id:
        start_thread(ticket)
        return notify_user(
            user=requester,
            template=EMAIL_TEMPLATES + "follow_up_created",
            context={"original": ticket.follow_up_of},
            ticket=ticket,
            kind=NotificationKind.FOLLOW_UP,
        )
    if not can_get_mail(requester):  # the preference is checked when it is sent
        return None
    with speaking_to(requester):  # the text is stored: in the requester's language
        expectation = expectation_for(organization=ticket.organization, now=timezone.now())
    return queue_mail_rendered_when_sent(
        user=requester,
        template=EMAIL_TEMPLATES + "ticket_received",
        context={
            "expectation": expectation.message,
            "from_email": ticket.channel == Ticket.Channel.EMAIL,
            "from_phone": ticket.channel == Ticket.Channel.PHONE,
        },
        ticket=ticket,
        kind=NotificationKind.TICKET_RECEIVED,
    )


def notify_reply_added(*, ticket: Ticket, reply: Reply) -> OutboundEmail | None:
    """A public staff reply goes to the requester. Notes and customers' own replies do not."""
    if reply.internal or not reply.author.is_support_staff or ticket.is_closed:
        return None
    return notify_user(
        user=ticket.requester,
        template=EMAIL_TEMPLATES + "staff_reply",
        context={"reply": reply, "body": redact(reply.body, ticket)},
        ticket=ticket,
        kind=NotificationKind.REPLY,
    )


def notify_status_changed(
    *, ticket: Ticket, old_status: str, new_status: str, actor: User | None
) -> OutboundEmail | None:
    """Status news for the requester, except their own doing and new → open (the staff
    reply that caused it already has its own mail)."""
    if actor is not None and actor.pk == ticket.requester_id:
        return None
    if ticket.merged_into_id is not None:
        return None  # closed by a merge: notify_tickets_merged says where it went
    if (old_status, new_status) == (Ticket.Status.NEW, Ticket.Status.OPEN):
        return None
    return notify_user(
        user=ticket.requester,
        template=EMAIL_TEMPLATES + "status_changed",
        context={
            "old_status": Ticket.Status(old_status).label,
            "new_status": Ticket.Status(new_status).label,
            "is_resolved": new_status == Ticket.Status.RESOLVED,
            "is_closed": new_status == Ticket.Status.CLOSED,
            "auto_close_days": settings.SUPPORTAL_AUTO_CLOSE_DAYS,
        },
        ticket=ticket,
        kind=NotificationKind.STATUS,
    )


def notify_tickets_merged(*, source: Ticket, target: Ticket) -> list[OutboundEmail]:
    """Both sides of a merge: the duplicate's requester learns where the conversation
    went, and the kept ticket's requester (when someone else) what joined it. One mail
    each, about the kept ticket (its thread, its address)."""
    sent = []
    recipients = [(source.requester, True)]
    if target.requester_id != source.requester_id:
        recipients.append((target.requester, False))
    for user, is_source_requester in recipients:
        mail = notify_user(
            user=user,
            template=EMAIL_TEMPLATES + "tickets_merged",
            context={"source": source, "is_source_requester": is_source_requester},
            ticket=target,
            kind=NotificationKind.STATUS,
        )
        if mail is not None:
            sent.append(mail)
    return sent
