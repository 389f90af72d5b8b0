"""The inbound email pipeline: every way mail comes in ends in :func:`receive_email`.

A mail is stored once (by Message-ID), then routed in its own transaction: a reply to a
known ticket, a follow-up to a closed one, a new ticket from a known customer, only an
auto-reply for an unknown sender, or nothing at all for automated mail. Whatever goes
wrong, the mail stays in the database for staff to inspect; nothing crashes the pipeline.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supportal.accounts.access import require_staff
from supportal.accounts.models import Product, User
from supportal.core.errors import InvalidInput, RuleViolation
from supportal.tickets.access import can_file_tickets, tickets_visible_to
from supportal.tickets.models import Reply, Ticket
from supportal.tickets.services import TicketDraft, add_reply, open_ticket
from supportal.tickets.uploads import check_upload

from . import notify
from .email.parse import (
    ParsedAttachment,
    ParsedEmail,
    authentication_verdict,
    automated_reason,
    clean_subject,
    parse_email,
    read_envelope,
    ticket_tag,
    trim_reply,
)
from .models import InboundEmail, OutboundEmail, TicketThread
from .reply_address import claimed_ticket_ids, proven_ticket_id

log = logging.getLogger(__name__)
Status = InboundEmail.Status


@dataclass(frozen=True)
class Outcome:
    status: str
    reason: str = ""
    ticket: Ticket | None = None
    reply: Reply | None = None


def own_addresses() -> frozenset[str]:
    """Addresses that are us: mail from them is never answered."""
    return frozenset(
        address.lower()
        for address in (
            settings.SUPPORTAL_SUPPORT_ADDRESS,
            parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
            settings.SERVER_EMAIL,
        )
        if address
    )


def receive_email(*, raw: bytes, source: str) -> InboundEmail | None:
    """Keep a received mail and route it. Returns None for a duplicate delivery (same
    Message-ID), which is not processed again."""
    envelope = read_envelope(raw)
    limit = settings.SUPPORTAL_EMAIL_MAX_BYTES
    try:
        with transaction.atomic():
            inbound = InboundEmail.objects.create(
                message_id=envelope.message_id,
                source=source,
                sender=envelope.sender,
                subject=envelope.subject,
                raw=raw[:limit],
                size=len(raw),
                truncated=len(raw) > limit,
            )
    except IntegrityError:
        log.info("duplicate mail %s ignored", envelope.message_id)
        return None
    process_inbound_email(inbound_id=inbound.pk)
    inbound.refresh_from_db()
    return inbound


# The authserv-id under which the Mailgun webhook's own checks are written.
MAILGUN_AUTHSERV_ID = "mailgun.webhook"


def webhook_headers(fields: Mapping[str, str]) -> bytes:
    """``Authentication-Results`` and ``Delivered-To`` from Mailgun's signed inbound post:
    its SPF and DKIM checks (``X-Mailgun-Spf``, ``X-Mailgun-Dkim-Check-Result``) and the
    envelope recipient."""
    results = []
    for method, field in (("spf", "X-Mailgun-Spf"), ("dkim", "X-Mailgun-Dkim-Check-Result")):
        value = (fields.get(field) or "").strip().lower()
        if value.isalpha():
            results.append(f"{method}={value}")
    lines = []
    if results:
        lines.append(f"Authentication-Results: {MAILGUN_AUTHSERV_ID}; " + "; ".join(results))
    recipient = (fields.get("recipient") or "").strip()
    if recipient and "@" in recipient and not set(recipient) & {"\r", "\n", ","}:
        lines.append(f"Delivered-To: {recipient}")
    return "".join(f"{line}\r\n" for line in lines).encode("ascii", "replace")


def process_inbound_email(
    *, inbound_id: int, apply_rate_limit: bool = True, vouched_by: User | None = None
) -> str | None:
    """Route one stored mail. Claimed first, so it runs once; an error quarantines it.

    ``vouched_by``: a staff member released it, so its sender is taken as proven."""
    claimed = InboundEmail.objects.filter(pk=inbound_id, processed_at=None).update(
        processed_at=timezone.now()
    )
    if claimed != 1:
        return None
    inbound = InboundEmail.objects.get(pk=inbound_id)
    try:
        with transaction.atomic():
            outcome = _route(inbound, apply_rate_limit=apply_rate_limit, vouched_by=vouched_by)
            if vouched_by is not None:
                released = f"{outcome.reason} (released by {vouched_by.email})"
                outcome = replace(outcome, reason=released)
            _record(inbound, outcome)
    except Exception as exc:
        log.exception("inbound mail %s could not be processed", inbound.pk)
        _record(inbound, Outcome(Status.QUARANTINED, f"processing failed: {exc!r}"[:2000]))
    return InboundEmail.objects.filter(pk=inbound_id).values_list("status", flat=True)[0]


def _record(inbound: InboundEmail, outcome: Outcome) -> None:
    InboundEmail.objects.filter(pk=inbound.pk).update(
        status=outcome.status,
        reason=outcome.reason[:2000],
        ticket=outcome.ticket,
        reply=outcome.reply,
    )


def _route(inbound: InboundEmail, *, apply_rate_limit: bool, vouched_by: User | None) -> Outcome:
    if inbound.truncated:
        limit_mb = settings.SUPPORTAL_EMAIL_MAX_BYTES // (1024 * 1024)
        return Outcome(Status.QUARANTINED, f"larger than the {limit_mb} MB limit")
    parsed = parse_email(bytes(inbound.raw))
    if parsed.problems:
        return Outcome(Status.QUARANTINED, "; ".join(parsed.problems))
    automated = automated_reason(parsed, own_addresses=own_addresses())
    if automated:
        return Outcome(Status.IGNORED, automated)
    if apply_rate_limit and _over_rate_limit(inbound):
        return Outcome(
            Status.HELD,
            f"more than {settings.SUPPORTAL_EMAIL_SENDER_LIMIT_PER_HOUR} mails from this "
            "sender in an hour",
        )
    sender = User.objects.filter(email__iexact=parsed.from_address, is_active=True).first()
    if sender is not None and sender.is_support_staff:
        return Outcome(Status.IGNORED, "sent by support staff: staff answer in the portal")
    trusted_ids = frozenset(i.lower() for i in settings.SUPPORTAL_EMAIL_AUTHSERV_IDS)
    verdict = authentication_verdict(parsed.auth_results, trusted_ids=trusted_ids)
    if verdict.failed and vouched_by is None:
        if sender is None:  # no answer to an address that did not send it (backscatter)
            return Outcome(Status.IGNORED, f"sender authentication failed: {verdict.failed}")
        return Outcome(Status.UNVERIFIED, f"sender authentication failed: {verdict.failed}")
    if sender is not None:
        proven = _proven_ticket(parsed, sender=sender)
        if proven is not None:
            return _reply(parsed, sender=sender, ticket=proven)
        ticket = find_ticket(parsed)
        if ticket is not None and _may_reply(sender, ticket):
            if vouched_by is not None:
                return _reply(parsed, sender=sender, ticket=ticket)
            return Outcome(
                Status.UNVERIFIED,
                f"answers {ticket.number} but carries no reply address or Message-ID that "
                f"we gave {sender.email} for it: anyone can write their From: line",
            )
        if can_file_tickets(sender):
            if trusted_ids and not verdict.dmarc_passed and vouched_by is None:
                return Outcome(
                    Status.UNVERIFIED,
                    "no dmarc=pass from "
                    + ", ".join(sorted(trusted_ids))
                    + ": the sender is not proven",
                )
            return _new_ticket(parsed, sender=sender)
    if settings.SUPPORTAL_EMAIL_UNKNOWN_SENDERS == "ignore":
        return Outcome(Status.IGNORED, "unknown sender (SUPPORTAL_EMAIL_UNKNOWN_SENDERS=ignore)")
    _auto_reply(parsed, template="auto_reply_unknown")
    return Outcome(Status.AUTO_REPLIED, "no customer account with this address")


def _proven_ticket(parsed: ParsedEmail, *, sender: User) -> Ticket | None:
    """The ticket this mail carries a reply token for, issued to its sender, if the sender
    may still write on it."""
    ticket_id = proven_ticket_id(
        sender=parsed.from_address,
        recipients=parsed.recipients,
        message_ids=(*parsed.in_reply_to, *parsed.references),
    )
    if ticket_id is None:
        return None
    ticket = Ticket.objects.select_related("product").filter(pk=ticket_id).first()
    return ticket if ticket is not None and _may_reply(sender, ticket) else None


def _over_rate_limit(inbound: InboundEmail) -> bool:
    if not inbound.sender:
        return False
    since = inbound.received_at - timedelta(hours=1)
    earlier = InboundEmail.objects.filter(
        sender=inbound.sender, received_at__gte=since, received_at__lte=inbound.received_at
    ).exclude(pk=inbound.pk)
    return earlier.count() >= settings.SUPPORTAL_EMAIL_SENDER_LIMIT_PER_HOUR


def find_ticket(parsed: ParsedEmail) -> Ticket | None:
    """The ticket a mail answers: by In-Reply-To/References, else by a reply token (proven
    or not), else by its [SUP-n] tag."""
    ids = list(dict.fromkeys((*parsed.in_reply_to, *reversed(parsed.references))))
    if ids:
        for ticket_id in (
            TicketThread.objects.filter(root_message_id__in=ids).values_list(
                "ticket_id", flat=True
            ),
            OutboundEmail.objects.filter(message_id__in=ids, ticket__isnull=False).values_list(
                "ticket_id", flat=True
            ),
            InboundEmail.objects.filter(message_id__in=ids, ticket__isnull=False).values_list(
                "ticket_id", flat=True
            ),
        ):
            found = ticket_id.first()
            if found is not None:
                return Ticket.objects.select_related("product").get(pk=found)
    for claimed_id in claimed_ticket_ids(recipients=parsed.recipients, message_ids=ids):
        claimed = Ticket.objects.select_related("product").filter(pk=claimed_id).first()
        if claimed is not None:
            return claimed
    number = ticket_tag(parsed.subject, prefix=settings.SUPPORTAL_TICKET_PREFIX)
    if number:
        return Ticket.objects.select_related("product").filter(number=number).first()
    return None


def _may_reply(sender: User, ticket: Ticket) -> bool:
    return sender.is_customer and tickets_visible_to(sender).filter(pk=ticket.pk).exists()


def _reply(parsed: ParsedEmail, *, sender: User, ticket: Ticket) -> Outcome:
    if ticket.is_closed:
        # The same mail thread may go on after a first follow-up: keep it on that one.
        later = (
            ticket.follow_ups.filter(requester=sender, status__in=Ticket.OPEN_STATUSES)
            .order_by("-received_at")
            .first()
        )
        ticket = later or ticket
    uploads, refused = email_uploads(parsed.attachments)
    body = _with_refusals(trim_reply(parsed.text) or "(empty message)", refused)
    result = add_reply(ticket=ticket, author=sender, body=body, uploads=uploads)
    if result.follow_up is not None:
        notify.adopt_thread(ticket=result.follow_up, message_id=parsed.message_id)
        return Outcome(
            Status.FOLLOW_UP,
            f"{ticket.number} is closed: opened {result.follow_up.number}",
            ticket=result.follow_up,
            reply=result.reply,
        )
    return Outcome(Status.REPLIED, f"reply to {ticket.number}", ticket=ticket, reply=result.reply)


def default_product(user: User) -> str:
    """The product of a ticket that arrived without one (email, phone)."""
    subscribed = Product.objects.filter(active=True, organizations=user.organization_id)
    wanted = settings.SUPPORTAL_EMAIL_DEFAULT_PRODUCT
    if wanted and (not subscribed.exists() or subscribed.filter(slug=wanted).exists()):
        return wanted
    product = subscribed.order_by("name").first() or Product.objects.filter(active=True).first()
    return product.slug if product else ""


def _new_ticket(parsed: ParsedEmail, *, sender: User) -> Outcome:
    uploads, refused = email_uploads(parsed.attachments)
    prefix = settings.SUPPORTAL_TICKET_PREFIX
    draft = TicketDraft(
        product=default_product(sender),
        kind=Ticket.Kind.QUESTION,
        subject=(clean_subject(parsed.subject, prefix=prefix) or "(no subject)")[:200],
        description=_with_refusals(trim_reply(parsed.text) or "(empty message)", refused),
    )
    try:
        with transaction.atomic():
            ticket = open_ticket(
                requester=sender, draft=draft, channel=Ticket.Channel.EMAIL, uploads=uploads
            )
    except (RuleViolation, InvalidInput) as exc:
        message = exc.message if isinstance(exc, RuleViolation) else str(exc.errors)
        _auto_reply(parsed, template="auto_reply_refused", context={"reason": message})
        return Outcome(Status.AUTO_REPLIED, f"no ticket opened: {message}")
    # The ticket-received mail (written by open_ticket's acknowledge_ticket hook) is the
    # auto-reply; thread it under the customer's own message.
    notify.adopt_thread(ticket=ticket, message_id=parsed.message_id)
    return Outcome(Status.TICKET_OPENED, f"opened {ticket.number}", ticket=ticket)


def _auto_reply(
    parsed: ParsedEmail, *, template: str, context: dict[str, Any] | None = None
) -> None:
    notify.queue_mail(
        to_address=parsed.from_address,
        template=notify.EMAIL_TEMPLATES + template,
        context={"original_subject": parsed.subject, **(context or {})},
        auto_reply=True,
        in_reply_to=parsed.message_id,
    )


def email_uploads(
    attachments: Sequence[ParsedAttachment],
) -> tuple[list[SimpleUploadedFile], list[str]]:
    """The attachments the portal would accept (same checks, same limits); the others are
    named so the ticket says what was left out (the raw mail keeps them for staff)."""
    accepted: list[SimpleUploadedFile] = []
    refused: list[str] = []
    for attachment in attachments:
        upload = SimpleUploadedFile(attachment.filename[:200], attachment.data)
        try:
            check_upload(upload)
        except InvalidInput as exc:
            refused.append(exc.errors.get("attachments", attachment.filename))
            continue
        if len(accepted) >= settings.SUPPORTAL_ATTACHMENT_MAX_COUNT:
            refused.append(f"{attachment.filename}: more than the attachments allowed at once")
            continue
        accepted.append(upload)
    return accepted, refused


def _with_refusals(body: str, refused: list[str]) -> str:
    if not refused:
        return body
    listed = "\n".join(f"- {line}" for line in refused)
    return f"{body}\n\n[Attachments not accepted]\n{listed}"


def dismiss_inbound(*, inbound: InboundEmail, actor: User) -> None:
    """Staff looked at a held or quarantined mail and set it aside."""
    require_staff(actor, "handle quarantined mail")
    InboundEmail.objects.filter(pk=inbound.pk, status__in=InboundEmail.NEEDS_STAFF).update(
        status=Status.IGNORED, reason=f"dismissed by {actor.email} ({inbound.reason})"[:2000]
    )


def release_inbound(*, inbound: InboundEmail, actor: User) -> str | None:
    """Staff let a held mail through the pipeline after all: one held by the rate limit,
    or one whose sender was not proven (staff vouch for the sender by releasing it)."""
    require_staff(actor, "release held mail")
    if inbound.status not in InboundEmail.RELEASABLE:
        raise RuleViolation("not_held", _("Only held mail can be released."))
    vouched_by = actor if inbound.status == Status.UNVERIFIED else None
    released = InboundEmail.objects.filter(pk=inbound.pk, status=inbound.status).update(
        processed_at=None, status=Status.RECEIVED
    )
    if released != 1:
        return None
    return process_inbound_email(
        inbound_id=inbound.pk, apply_rate_limit=False, vouched_by=vouched_by
    )


def reprocess_stuck(*, older_than_minutes: int = 10) -> int:
    """Route mail whose processing never finished (a process died). Safe to run twice."""
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    stuck = InboundEmail.objects.filter(status=Status.RECEIVED, received_at__lt=cutoff)
    count = 0
    for pk in list(stuck.values_list("pk", flat=True)[:100]):
        InboundEmail.objects.filter(pk=pk, status=Status.RECEIVED).update(processed_at=None)
        process_inbound_email(inbound_id=pk)
        count += 1
    return count
