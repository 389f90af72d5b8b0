"""What staff decide that changes what a ticket is charged: a confirmed bug (nothing is),
more free support, and the custom CSS/JS exception (work before consent)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supportal.accounts.access import require_staff
from supportal.accounts.models import User
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation
from supportal.tickets.models import Ticket
from supportal.tickets.services import record_event

from . import notify
from .models import (
    AllowanceExtension,
    Category,
    CustomCodeException,
    ExpertHoursEntry,
    Notice,
    TicketBilling,
)
from .ticket_billing import category_for, locked_billing


def mark_confirmed_bug(*, ticket: Ticket, actor: User) -> TicketBilling:
    """A confirmed bug is never charged: every charge on the ticket is waived and the expert
    hours it used come back. Safe to call twice."""
    require_staff(actor, "confirm bugs")
    with transaction.atomic():
        billing = locked_billing(ticket)
        if billing.is_confirmed_bug:
            return billing
        billing.confirmed_bug_at = timezone.now()
        billing.confirmed_bug_by = actor
        billing.save(update_fields=["confirmed_bug_at", "confirmed_bug_by"])
        uses = ExpertHoursEntry.objects.filter(
            time_entry__ticket=ticket, kind=ExpertHoursEntry.Kind.USE
        ).exclude(time_entry__ledger_rows__kind=ExpertHoursEntry.Kind.REFUND)
        for use in uses:
            ExpertHoursEntry.objects.create(
                organization_id=use.organization_id,
                quarter=use.quarter,
                kind=ExpertHoursEntry.Kind.REFUND,
                minutes=-use.minutes,
                ticket=ticket,
                time_entry_id=use.time_entry_id,
                note=f"{ticket.number} confirmed bug",
            )
        Notice.objects.filter(ticket=ticket, status=Notice.Status.PENDING).update(
            status=Notice.Status.SUPERSEDED
        )
        record_event(ticket=ticket, actor=actor, action="confirmed_bug", data={})
    return billing


def extend_allowance(
    *, ticket: Ticket, actor: User, minutes: int, reason: str
) -> AllowanceExtension:
    """A manager gives the ticket more free support, with a recorded reason."""
    if not actor.is_manager:
        raise NotPermitted(_("Only a manager extends free support."))
    errors = {}
    if not isinstance(minutes, int) or minutes < 1 or minutes > 8 * 60:
        errors["minutes"] = _("Extend by 1 to 480 minutes.")
    if not reason or not reason.strip():
        errors["reason"] = _("Record why free support is extended.")
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        locked_billing(ticket)
        extension = AllowanceExtension.objects.create(
            ticket=ticket, minutes=minutes, reason=reason.strip(), granted_by=actor
        )
        record_event(
            ticket=ticket,
            actor=actor,
            action="allowance_extended",
            data={"minutes": minutes, "reason": extension.reason},
        )
    return extension


def record_custom_code_exception(
    *, ticket: Ticket, actor: User, reason: str, note: str = ""
) -> CustomCodeException:
    """The manager's decision that a custom CSS/JS fix proceeds before consent (urgent, or
    faster to fix than to estimate). The customer is notified at once of the hourly rate
    the time is billed at: the custom CSS/JS category's (the technical rate)."""
    if not actor.is_manager:
        raise NotPermitted(_("Only a manager records the custom CSS/JS exception."))
    if reason not in CustomCodeException.Reason.values:
        raise InvalidInput({"reason": _("Say why: urgent, or faster to fix than to estimate.")})
    category = category_for(Category.CUSTOM_CODE)
    with transaction.atomic():
        billing = locked_billing(ticket)
        if billing.is_confirmed_bug:
            raise RuleViolation("confirmed_bug", _("A confirmed bug is never charged."))
        exception = CustomCodeException.objects.create(
            ticket=ticket, reason=reason, note=note.strip(), decided_by=actor, rate=category.rate
        )
        record_event(
            ticket=ticket,
            actor=actor,
            action="custom_code_exception",
            data={"reason": reason, "rate": str(exception.rate)},
        )
        notify.notify_custom_code_exception(exception)
    return exception
