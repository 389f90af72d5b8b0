"""Calculator passwords: the customer acknowledges the warning (keep a copy; repairs are
billed), staff release the password, stored encrypted, and the customer reads it once."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from supportal.accounts.access import require_staff
from supportal.accounts.models import User
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation
from supportal.core.money import format_money
from supportal.tickets.models import Ticket
from supportal.tickets.services import record_event

from .access import is_ticket_customer
from .models import CalculatorPassword, Category, WorkCategory


def repair_rates() -> str:
    """What repairing a damaged calculator costs, read from its work category row, in the
    reader's language: "$125.00 to $175.00 per hour" with the rates managers set."""
    row = WorkCategory.objects.filter(code=Category.CALCULATOR_REPAIR).first()
    if row is None:
        return _("the professional-services rates")
    high = row.rate_max if row.has_rate_range else None
    if high is not None:
        return _("%(low)s to %(high)s per hour") % {
            "low": format_money(row.rate),
            "high": format_money(high),
        }
    return _("%(rate)s per hour") % {"rate": format_money(row.rate)}


def warning_text() -> str:
    """The warning the customer acknowledges, with the repair rates in force: the text an
    installation set (SUPPORTAL_CALCULATOR_WARNING), or the policy's in the reader's
    language."""
    text = settings.SUPPORTAL_CALCULATOR_WARNING or _(
        "Be very careful after unlocking the spreadsheet: it contains many formulas that are "
        "easily altered. Save a copy of the spreadsheet before making any edits. Repairing a "
        "calculator damaged after unlocking is billed at {rates}."
    )
    return text.replace("{rates}", repair_rates())


def _calculator(ticket: Ticket) -> CalculatorPassword:
    if ticket.kind != Ticket.Kind.CALCULATOR_PASSWORD:
        raise RuleViolation("not_a_calculator_request", _("This ticket is not a password request."))
    found = CalculatorPassword.objects.select_for_update().filter(ticket=ticket).first()
    return found or CalculatorPassword.objects.create(ticket=ticket)


def acknowledge_calculator_warning(*, ticket: Ticket, customer: User) -> CalculatorPassword:
    """The customer has read the warning (keep a copy; repairs are billed)."""
    if not is_ticket_customer(customer, ticket):
        raise NotPermitted(_("Only the ticket's customer acknowledges the warning."))
    with transaction.atomic():
        calc = _calculator(ticket)
        if calc.acknowledged_at is None:
            calc.acknowledged_at = timezone.now()
            calc.acknowledged_by = customer
            calc.acknowledged_text = warning_text()
            calc.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledged_text"])
            record_event(ticket=ticket, actor=customer, action="calculator_warning_accepted")
    return calc


def release_calculator_password(
    *, ticket: Ticket, actor: User, password: str
) -> CalculatorPassword:
    """Staff hand over the password, only after the customer acknowledged the warning."""
    require_staff(actor, "release calculator passwords")
    if not password or not password.strip():
        raise InvalidInput({"password": _("Enter the sheet's password.")})
    with transaction.atomic():
        calc = _calculator(ticket)
        if calc.acknowledged_at is None:
            raise RuleViolation(
                "warning_not_acknowledged",
                _("The customer has not acknowledged the calculator warning yet."),
            )
        if calc.released_at is not None:
            raise RuleViolation("already_released", _("The password was already released."))
        calc.password = password.strip()
        calc.released_at = timezone.now()
        calc.released_by = actor
        calc.save(update_fields=["password", "released_at", "released_by"])
        record_event(ticket=ticket, actor=actor, action="calculator_password_released")
    return calc


def reveal_calculator_password(*, ticket: Ticket, customer: User) -> str:
    """Show the released password to the customer once; then it is erased. Audit-logged."""
    if not is_ticket_customer(customer, ticket):
        raise NotPermitted(_("Only the ticket's customer reads the password."))
    with transaction.atomic():
        calc = _calculator(ticket)
        if calc.released_at is None or calc.revealed_at is not None:
            raise RuleViolation(
                "password_unavailable", _("The password is not released or was already shown.")
            )
        password = calc.password
        claimed = CalculatorPassword.objects.filter(
            Q(ticket=ticket) & Q(revealed_at__isnull=True)
        ).update(revealed_at=timezone.now(), revealed_by=customer, password="")
        if claimed != 1:
            raise RuleViolation("password_unavailable", _("The password was already shown."))
        record_event(ticket=ticket, actor=customer, action="calculator_password_revealed")
    return str(password)
