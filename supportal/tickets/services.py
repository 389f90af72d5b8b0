"""The write path for tickets: every state change goes through these functions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supportal.accounts.access import require_staff
from supportal.accounts.models import Product, User
from supportal.accounts.services import has_attended_training
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation

from . import custom_fields
from .hooks import hooks
from .models import Attachment, AuditEvent, Reply, Ticket
from .search import index_ticket_columns, index_tickets
from .uploads import check_uploads

CREDENTIAL_FIELDS = ("admin_username", "admin_password", "site_user_username", "site_user_password")
SECRET_FIELDS = ("admin_password", "site_user_password")


@dataclass(frozen=True)
class TicketDraft:
    """What a customer submits. Views and the API build one from their own input.
    The passwords are left out of its repr (error reports, debuggers, logs)."""

    product: str
    kind: str
    subject: str
    description: str
    site_name: str = ""
    site_url: str = ""
    admin_username: str = ""
    admin_password: str = field(default="", repr=False)
    site_user_username: str = ""
    site_user_password: str = field(default="", repr=False)
    steps: str = ""
    urgent: bool = False
    urgent_reason: str = ""
    urgent_impact: str = ""
    # Answers to the product's custom fields, by field key (custom_fields.py).
    custom_fields: Mapping[str, str] = field(default_factory=dict)


def training_blocks_filing(user: User, *, product: Product, kind: str) -> bool:
    """With SUPPORTAL_TRAINING_REQUIREMENT "block", a customer who has not attended a
    training session for the product may not ask for support about it (training requests
    and professional services excepted)."""
    return (
        settings.SUPPORTAL_TRAINING_REQUIREMENT == "block"
        and user.is_customer
        and kind not in Ticket.TRAINING_EXEMPT_KINDS
        and not has_attended_training(user, product)
    )


def untrained_products(user: User) -> list[Product]:
    """The organization's products this customer has attended no training for (all active
    products when the organization lists none)."""
    if not user.is_customer or user.organization is None:
        return []
    products = user.organization.product_list() or list(Product.objects.filter(active=True))
    return [p for p in products if p.active and not has_attended_training(user, p)]


def training_refusal(product: Product) -> RuleViolation:
    return RuleViolation(
        "training_required",
        _(
            "Support for %(product)s requires training attendance: please attend a "
            "training session for %(product)s first, or file a training request."
        )
        % {"product": product.name},
    )


def validate_draft(*, requester: User, draft: TicketDraft) -> Product:
    """Check a draft field by field; return its product. Raises InvalidInput."""
    errors: dict[str, str] = {}
    # An organization with no products listed may file for any product.
    subscribed = requester.organization.product_list() if requester.organization else []
    product = next((p for p in subscribed if p.slug == draft.product and p.active), None)
    if product is None:
        product = Product.objects.filter(slug=draft.product, active=True).first()
        if product is None:
            errors["product"] = _("Choose one of the products.")
        elif subscribed:
            errors["product"] = _("Your organization does not subscribe to %(product)s.") % {
                "product": product.name
            }
    if draft.kind not in Ticket.Kind.values:
        errors["kind"] = _("Choose what kind of request this is.")
    if not draft.subject.strip():
        errors["subject"] = _("Give the ticket a subject.")
    elif len(draft.subject) > 200:
        errors["subject"] = _("Keep the subject under 200 characters.")
    if not draft.description.strip():
        errors["description"] = _("Describe the question or problem.")
    if draft.site_url:
        try:
            URLValidator(schemes=["http", "https"])(draft.site_url)
        except ValidationError:
            errors["site_url"] = _("Enter the site's full address, starting with https://.")
    if draft.urgent and draft.urgent_reason not in Ticket.UrgentReason.values:
        errors["urgent_reason"] = _(
            "Urgent is for when customers cannot place an order or you cannot produce "
            "the job: say which."
        )
    if (
        not draft.urgent
        and draft.urgent_reason
        and (draft.urgent_reason not in Ticket.UrgentReason.values)
    ):
        errors["urgent_reason"] = _("Unknown urgent reason.")
    if errors:
        raise InvalidInput(errors)
    assert product is not None
    return product


def _next_number(ticket: Ticket) -> str:
    return (
        f"{settings.SUPPORTAL_TICKET_PREFIX}-{settings.SUPPORTAL_TICKET_NUMBER_START + ticket.pk}"
    )


def _store_attachments(
    *, ticket: Ticket, reply: Reply | None, uploader: User, uploads: Sequence[UploadedFile]
) -> list[Attachment]:
    content_types = check_uploads(uploads)
    stored = []
    for upload, content_type in zip(uploads, content_types, strict=True):
        attachment = Attachment(ticket=ticket, reply=reply, uploaded_by=uploader)
        attachment.keep(upload, content_type=content_type)
        attachment.save()
        stored.append(attachment)
        record_event(
            ticket=ticket,
            actor=uploader,
            action=AuditEvent.Action.ATTACHMENT_ADDED,
            data={"attachment_id": attachment.pk, "name": attachment.original_name},
        )
    return stored


def record_event(
    *, ticket: Ticket, actor: User | None, action: str, data: dict[str, Any] | None = None
) -> AuditEvent:
    return AuditEvent.objects.create(ticket=ticket, actor=actor, action=action, data=data or {})


def _remove_files_on_rollback(attachments: list[Attachment]) -> None:
    for attachment in attachments:
        attachment.discard()


def open_ticket(
    *,
    requester: User,
    draft: TicketDraft,
    channel: str = Ticket.Channel.PORTAL,
    uploads: Sequence[UploadedFile] = (),
    follow_up_of: Ticket | None = None,
    received_at: datetime | None = None,
    split_from: Ticket | None = None,
) -> Ticket:
    """File a ticket for a customer: write it and its attachments, audit it, start its SLA
    clocks, page on-call if it is urgent after hours, classify it for billing, acknowledge
    it to the requester and assign it when automatic assignment is on (tickets.hooks). A
    suggestion the requester opened before is known to have led here when the knowledge
    base counts its deflections (kb.queries.followed_by_ticket).

    Preconditions: the requester is an active customer of an organization. All of it is
    one transaction; a refused upload writes nothing. Required custom fields are enforced
    for the portal and the API, where the customer sees them; mail, phone and chat tickets
    and continuations arrive without answers."""
    if not requester.is_customer or requester.organization_id is None:
        raise RuleViolation("not_a_customer", _("Only customers of an organization file tickets."))
    product = validate_draft(requester=requester, draft=draft)
    # A follow-up continues a conversation that was admitted, and a chat's ticket continues
    # a chat that was checked when it started (chat.eligibility).
    continues = follow_up_of is not None or split_from is not None or channel == Ticket.Channel.CHAT
    asks_fields = not continues and channel in (Ticket.Channel.PORTAL, Ticket.Channel.API)
    field_values = custom_fields.clean_values(
        custom_fields.fields_for(product, staff=False),
        draft.custom_fields,
        enforce_required=asks_fields,
    )
    if not continues and training_blocks_filing(requester, product=product, kind=draft.kind):
        raise training_refusal(product)
    if uploads:
        check_uploads(uploads)
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            ticket = Ticket(
                organization=requester.organization,  # loaded with the user: reused below
                requester=requester,
                product=product,
                kind=draft.kind,
                subject=draft.subject.strip(),
                description=draft.description,
                site_name=draft.site_name.strip(),
                site_url=draft.site_url.strip(),
                admin_username=draft.admin_username,
                admin_password=draft.admin_password,
                site_user_username=draft.site_user_username,
                site_user_password=draft.site_user_password,
                has_credentials=any(getattr(draft, f) for f in CREDENTIAL_FIELDS),
                steps=draft.steps,
                urgent=draft.urgent,
                urgent_reason=draft.urgent_reason if draft.urgent else "",
                urgent_impact=draft.urgent_impact.strip() if draft.urgent else "",
                channel=channel,
                follow_up_of=follow_up_of,
                split_from=split_from,
                requester_untrained=not has_attended_training(requester, product),
                received_at=received_at or timezone.now(),
            )
            ticket.save()
            ticket.number = _next_number(ticket)  # written below, with the SLA due time
            record_event(
                ticket=ticket,
                actor=requester,
                action=AuditEvent.Action.CREATED,
                data={"channel": channel, "urgent": ticket.urgent},
            )
            if uploads:
                stored = _store_attachments(
                    ticket=ticket, reply=None, uploader=requester, uploads=uploads
                )
            if field_values:
                custom_fields.record_initial_values(ticket=ticket, values=field_values)
            ticket.first_response_due = hooks.start_sla_clocks(ticket=ticket)
            hooks.page_on_call(ticket=ticket)
            hooks.classify_billing(ticket=ticket)
            hooks.acknowledge_ticket(ticket=ticket)
            hooks.assign_new_ticket(ticket=ticket)
            ticket.save(update_fields=["number", "first_response_due"])
            index_tickets([ticket.pk])
    except Exception:
        _remove_files_on_rollback(stored)
        raise
    return ticket


@dataclass(frozen=True)
class ReplyResult:
    reply: Reply
    follow_up: Ticket | None


def add_reply(
    *,
    ticket: Ticket,
    author: User,
    body: str,
    internal: bool = False,
    uploads: Sequence[UploadedFile] = (),
    seen_reply_id: int | None = None,
) -> ReplyResult:
    """Add a public reply or an internal note.

    Preconditions: the author can see the ticket. A customer's reply to a resolved ticket
    reopens it; to a closed ticket it is kept on the closed ticket (which stays closed) and
    opens a follow-up ticket linked to it.

    ``seen_reply_id`` is the newest public reply the author had on screen (0: none). When
    given, a public reply that would cross a newer one by someone else is refused with
    RuleViolation("crossed_reply"): the author reads it first, then sends again."""
    if not (author.is_support_staff or author.is_customer):
        raise NotPermitted("Read-only staff do not reply.")
    if not body or not body.strip():
        raise InvalidInput({"body": _("Write a reply before sending.")})
    if internal and not author.is_support_staff:
        raise NotPermitted("Customers cannot write internal notes.")
    if author.is_support_staff and ticket.is_closed and not internal:
        raise RuleViolation(
            "ticket_closed",
            _("This ticket is closed; the customer's next message opens a new one."),
        )
    if uploads:
        check_uploads(uploads)
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
            if seen_reply_id is not None and not internal:
                _refuse_crossing(ticket=ticket, author=author, seen_reply_id=seen_reply_id)
            reply = Reply.objects.create(ticket=ticket, author=author, body=body, internal=internal)
            index_tickets([ticket.pk])
            if uploads:
                stored = _store_attachments(
                    ticket=ticket, reply=reply, uploader=author, uploads=uploads
                )
            record_event(
                ticket=ticket,
                actor=author,
                action=AuditEvent.Action.NOTE_ADDED if internal else AuditEvent.Action.REPLIED,
                data={"reply_id": reply.pk},
            )
            hooks.follow_reply_in_sla(ticket=ticket, reply=reply)
            hooks.notify_reply(ticket=ticket, reply=reply)
            hooks.record_mentions(ticket=ticket, reply=reply)
            hooks.refresh_reply_timing(ticket=ticket, reply=reply)
            follow_up = None
            if author.is_customer:
                follow_up = _after_customer_reply(ticket=ticket, author=author, reply=reply)
            elif not internal:
                _after_staff_reply(ticket=ticket, author=author, reply=reply)
    except Exception:
        _remove_files_on_rollback(stored)
        raise
    return ReplyResult(reply=reply, follow_up=follow_up)


def newest_public_reply_id(ticket: Ticket) -> int:
    """The id of the ticket's newest public reply, 0 when there is none: what a reply form
    carries so that sending it can tell whether another reply came in meanwhile."""
    newest = ticket.replies.filter(internal=False).order_by("-id").values_list("id", flat=True)
    return newest.first() or 0


def _refuse_crossing(*, ticket: Ticket, author: User, seen_reply_id: int) -> None:
    newer = (
        ticket.replies.filter(internal=False, pk__gt=seen_reply_id)
        .exclude(author=author)
        .select_related("author")
        .order_by("-id")
        .first()
    )
    if newer is not None:
        raise RuleViolation(
            "crossed_reply",
            f"{newer.author.get_full_name()} replied while you were writing. Read the new "
            "reply; your text is kept: send it again if it still fits.",
        )


def _after_customer_reply(*, ticket: Ticket, author: User, reply: Reply) -> Ticket | None:
    if ticket.is_closed:
        draft = TicketDraft(
            product=ticket.product.slug,
            kind=ticket.kind,
            subject=f"Follow-up to {ticket.number}: {ticket.subject}"[:200],
            description=reply.body,
            site_name=ticket.site_name,
            site_url=ticket.site_url,
        )
        follow_up = open_ticket(
            requester=author, draft=draft, channel=ticket.channel, follow_up_of=ticket
        )
        record_event(
            ticket=ticket,
            actor=author,
            action=AuditEvent.Action.FOLLOW_UP_CREATED,
            data={"follow_up_id": follow_up.pk, "follow_up_number": follow_up.number},
        )
        return follow_up
    if ticket.status in (Ticket.Status.RESOLVED, Ticket.Status.PENDING_CUSTOMER):
        reopened = ticket.status == Ticket.Status.RESOLVED
        _set_status(ticket=ticket, actor=author, status=Ticket.Status.OPEN)
        if reopened:
            record_event(ticket=ticket, actor=author, action=AuditEvent.Action.REOPENED)
    return None


def _after_staff_reply(*, ticket: Ticket, author: User, reply: Reply) -> None:
    fields = ["updated_at"]
    if ticket.first_responded_at is None:
        ticket.first_responded_at = reply.created_at
        fields.append("first_responded_at")
    if ticket.assignee_id is None:
        ticket.assignee = author
        fields.append("assignee")
    ticket.save(update_fields=fields)
    if "assignee" in fields:
        index_ticket_columns([ticket.pk])
    if ticket.status == Ticket.Status.NEW:
        _set_status(ticket=ticket, actor=author, status=Ticket.Status.OPEN)


ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Ticket.Status.NEW: {Ticket.Status.OPEN, Ticket.Status.PENDING_CUSTOMER,
                        Ticket.Status.RESOLVED, Ticket.Status.CLOSED},
    Ticket.Status.OPEN: {Ticket.Status.PENDING_CUSTOMER, Ticket.Status.RESOLVED,
                         Ticket.Status.CLOSED},
    Ticket.Status.PENDING_CUSTOMER: {Ticket.Status.OPEN, Ticket.Status.RESOLVED,
                                     Ticket.Status.CLOSED},
    Ticket.Status.RESOLVED: {Ticket.Status.OPEN, Ticket.Status.CLOSED},
    Ticket.Status.CLOSED: set(),
}  # fmt: skip


def _set_status(*, ticket: Ticket, actor: User | None, status: str, auto: bool = False) -> None:
    old = ticket.status
    now = timezone.now()
    ticket.status = status
    if status == Ticket.Status.RESOLVED:
        ticket.resolved_at = now
    elif status == Ticket.Status.CLOSED:
        ticket.closed_at = now
        ticket.resolved_at = ticket.resolved_at or now
    else:
        ticket.resolved_at = None
    ticket.save(update_fields=["status", "resolved_at", "closed_at", "updated_at"])
    index_ticket_columns([ticket.pk])
    record_event(
        ticket=ticket,
        actor=actor,
        action=AuditEvent.Action.AUTO_CLOSED if auto else AuditEvent.Action.STATUS_CHANGED,
        data={"from": old, "to": status},
    )
    after_status_change(ticket=ticket, old_status=old, new_status=status, actor=actor)


def after_status_change(
    *, ticket: Ticket, old_status: str, new_status: str, actor: User | None
) -> None:
    """The SLA clocks follow the status (and a page stops once it is resolved or closed), the
    requester is told, and the ticket's report timings are refreshed after commit."""
    hooks.follow_status_in_sla(ticket=ticket, old_status=old_status, new_status=new_status)
    hooks.notify_status(ticket=ticket, old_status=old_status, new_status=new_status, actor=actor)
    hooks.refresh_status_timing(ticket=ticket)


def change_status(*, ticket: Ticket, actor: User, status: str) -> Ticket:
    """Move a ticket along its lifecycle. Staff only; a closed ticket never reopens."""
    require_staff(actor, "change a ticket's status")
    if status not in Ticket.Status.values:
        raise InvalidInput({"status": _("Unknown status %(status)r.") % {"status": status}})
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if status == ticket.status:
            return ticket
        if status not in ALLOWED_TRANSITIONS[ticket.status]:
            raise RuleViolation(
                "invalid_transition",
                _("A %(current)s ticket cannot become %(new)s.")
                % {
                    "current": ticket.get_status_display().lower(),
                    "new": Ticket.Status(status).label.lower(),
                },
            )
        _set_status(ticket=ticket, actor=actor, status=status)
    return ticket


UNCHECKED = object()


def assign_ticket(
    *,
    ticket: Ticket,
    actor: User,
    assignee_id: int | None,
    expected_assignee_id: int | None | object = UNCHECKED,
) -> Ticket:
    """Give a ticket to a member of the support staff (or to nobody).

    With ``expected_assignee_id`` (the assignee the caller saw, None for nobody) the change
    is made only if that is still the assignee: of two agents taking the same ticket at
    once, one wins and the other gets RuleViolation("stale")."""
    require_staff(actor, "assign tickets")
    assignee = None
    if assignee_id is not None:
        assignee = User.objects.filter(pk=assignee_id, is_active=True).first()
        if assignee is None or not assignee.is_support_staff:
            raise InvalidInput(
                {"assignee_id": _("Assign to an active member of the support staff.")}
            )
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        old = ticket.assignee_id
        if expected_assignee_id is not UNCHECKED and old != expected_assignee_id:
            raise RuleViolation(
                "stale",
                _(
                    "Someone else changed this ticket's assignee meanwhile: "
                    "reload it and try again."
                ),
            )
        ticket.assignee = assignee
        ticket.save(update_fields=["assignee", "updated_at"])
        index_ticket_columns([ticket.pk])
        record_event(
            ticket=ticket,
            actor=actor,
            action=AuditEvent.Action.ASSIGNED,
            data={"from": old, "to": assignee.pk if assignee else None},
        )
    return ticket


def downgrade_urgency(*, ticket: Ticket, actor: User, note: str) -> Ticket:
    """Staff take the urgent flag off a ticket that does not stop orders or production."""
    require_staff(actor, "change a ticket's urgency")
    if not note or not note.strip():
        raise InvalidInput({"note": _("Say why the ticket is not urgent; the customer sees it.")})
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if not ticket.urgent:
            raise RuleViolation("not_urgent", _("This ticket is not marked urgent."))
        old_reason = ticket.urgent_reason
        ticket.urgent = False
        ticket.urgent_reason = ""
        ticket.save(update_fields=["urgent", "urgent_reason", "updated_at"])
        Reply.objects.create(
            ticket=ticket, author=actor, body=f"Urgency removed: {note.strip()}", internal=False
        )
        index_tickets([ticket.pk])
        record_event(
            ticket=ticket,
            actor=actor,
            action=AuditEvent.Action.URGENCY_DOWNGRADED,
            data={"reason": old_reason, "note": note.strip()},
        )
        hooks.cancel_page(ticket=ticket)
    return ticket


def raise_urgency(*, ticket: Ticket, actor: User, reason: str, note: str) -> Ticket:
    """Staff mark an open ticket urgent (voicemail, email and chat tickets arrive non-urgent).

    ``reason`` is one of the policy's two (cannot order, cannot produce); ``note`` says what
    was learnt and is shown to the customer. After hours this pages on-call, as when a
    customer files an urgent ticket."""
    require_staff(actor, "change a ticket's urgency")
    errors = {}
    if reason not in Ticket.UrgentReason.values:
        errors["reason"] = _("Choose why it is urgent: customers cannot order, or cannot produce.")
    if not note or not note.strip():
        errors["note"] = _("Say why the ticket is urgent; the customer sees it.")
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.urgent:
            raise RuleViolation("already_urgent", _("This ticket is already marked urgent."))
        if ticket.status not in Ticket.OPEN_STATUSES:
            raise RuleViolation("ticket_not_open", _("Only an open ticket can be marked urgent."))
        ticket.urgent = True
        ticket.urgent_reason = reason
        ticket.urgent_impact = note.strip()
        ticket.save(update_fields=["urgent", "urgent_reason", "urgent_impact", "updated_at"])
        Reply.objects.create(
            ticket=ticket, author=actor, body=f"Marked urgent: {note.strip()}", internal=False
        )
        index_tickets([ticket.pk])
        record_event(
            ticket=ticket,
            actor=actor,
            action=AuditEvent.Action.URGENCY_RAISED,
            data={"reason": reason, "note": note.strip()},
        )
        hooks.page_on_call(ticket=ticket)
    return ticket


def escalate_to_engineering(*, ticket: Ticket, actor: User, note: str = "") -> Ticket:
    """Staff hand a question to the programming staff. The customer sees since when and
    how long such questions usually take (SUPPORTAL_ENGINEERING_TURNAROUND_DAYS); the
    dashboard counts such tickets. Not for closed tickets; once until returned."""
    require_staff(actor, "escalate tickets to engineering")
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.is_closed:
            raise RuleViolation("closed", _("A closed ticket cannot be escalated."))
        if ticket.is_with_engineering:
            raise RuleViolation("escalated", _("This ticket is already with engineering."))
        ticket.engineering_escalated_at = timezone.now()
        ticket.save(update_fields=["engineering_escalated_at", "updated_at"])
        index_ticket_columns([ticket.pk])
        record_event(
            ticket=ticket,
            actor=actor,
            action=AuditEvent.Action.ENGINEERING_ESCALATED,
            data={"note": note.strip()} if note.strip() else {},
        )
    return ticket


def return_from_engineering(*, ticket: Ticket, actor: User) -> Ticket:
    """The programming staff have answered: the ticket is back with support."""
    require_staff(actor, "change a ticket's escalation")
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if not ticket.is_with_engineering:
            raise RuleViolation("not_escalated", _("This ticket is not with engineering."))
        since = ticket.engineering_escalated_at
        ticket.engineering_escalated_at = None
        ticket.save(update_fields=["engineering_escalated_at", "updated_at"])
        index_ticket_columns([ticket.pk])
        record_event(
            ticket=ticket,
            actor=actor,
            action=AuditEvent.Action.ENGINEERING_RETURNED,
            data={"since": since.isoformat() if since else None},
        )
    return ticket


def reveal_credentials(*, ticket: Ticket, actor: User) -> dict[str, str]:
    """The ticket's credentials in clear, for staff who work it. Every read is audited."""
    require_staff(actor, "read credentials")
    with transaction.atomic():
        record_event(ticket=ticket, actor=actor, action=AuditEvent.Action.CREDENTIALS_VIEWED)
    return {field: getattr(ticket, field) for field in CREDENTIAL_FIELDS}


def close_resolved_tickets(*, now: datetime | None = None) -> int:
    """Close tickets resolved more than SUPPORTAL_AUTO_CLOSE_DAYS ago. Safe to run twice."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SUPPORTAL_AUTO_CLOSE_DAYS)
    closed = 0
    candidates = Ticket.objects.filter(
        status=Ticket.Status.RESOLVED, resolved_at__lte=cutoff
    ).values_list("pk", flat=True)
    for pk in list(candidates[:1000]):
        with transaction.atomic():
            claimed = Ticket.objects.filter(
                pk=pk, status=Ticket.Status.RESOLVED, resolved_at__lte=cutoff
            ).update(status=Ticket.Status.CLOSED, closed_at=now, updated_at=now)
            if claimed != 1:
                continue
            index_ticket_columns([pk])
            AuditEvent.objects.create(
                ticket_id=pk,
                actor=None,
                action=AuditEvent.Action.AUTO_CLOSED,
                data={"from": Ticket.Status.RESOLVED, "to": Ticket.Status.CLOSED},
            )
            after_status_change(
                ticket=Ticket.objects.get(pk=pk),
                old_status=Ticket.Status.RESOLVED,
                new_status=Ticket.Status.CLOSED,
                actor=None,
            )
            closed += 1
    return closed


def purge_closed_credentials(*, now: datetime | None = None) -> int:
    """Erase credentials of tickets closed more than SUPPORTAL_CREDENTIAL_PURGE_DAYS ago."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SUPPORTAL_CREDENTIAL_PURGE_DAYS)
    purged = 0
    candidates = Ticket.objects.filter(
        status=Ticket.Status.CLOSED, closed_at__lte=cutoff, has_credentials=True
    ).values_list("pk", flat=True)
    for pk in list(candidates[:1000]):
        with transaction.atomic():
            claimed = Ticket.objects.filter(pk=pk, has_credentials=True).update(
                admin_username="",
                admin_password="",
                site_user_username="",
                site_user_password="",
                has_credentials=False,
                credentials_purged_at=now,
            )
            if claimed != 1:
                continue
            AuditEvent.objects.create(
                ticket_id=pk, actor=None, action=AuditEvent.Action.CREDENTIALS_PURGED
            )
            purged += 1
    return purged
