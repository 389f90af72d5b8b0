"""A ticket's billing row (written when the ticket is filed with a classification, or by
its first billing write; locked by every billing write on it), and the two look-ups every
billing write uses: a work category by its code and the vendor's date."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from supportal.core.errors import InvalidInput
from supportal.tickets.models import Ticket

from . import ledger, rules
from .models import Category, TicketBilling, WorkCategory


def category_for(code: str, *, field: str = "category") -> WorkCategory:
    found = WorkCategory.objects.filter(code=code).first()
    if found is None:
        raise InvalidInput(
            {field: gettext("Choose one of: %(codes)s.") % {"codes": ", ".join(Category.values)}}
        )
    return found


def vendor_today() -> date:
    return ledger.local_date(timezone.now(), settings.SUPPORTAL_VENDOR_TIME_ZONE)


def _classification(ticket: Ticket) -> dict[str, Any]:
    """Professional services from the first minute when the customer filed it as such;
    otherwise, when its words name an area where support often runs past the free
    minutes, a category suggested to the agent (the free minutes still apply)."""
    reason = rules.professional_services_reason(kind=ticket.kind)
    suggestion = (
        None
        if reason
        else rules.suggest_category(
            text=f"{ticket.subject}\n{ticket.description}",
            keywords=list(settings.SUPPORTAL_PS_KEYWORDS),
            technical=list(settings.SUPPORTAL_PS_TECHNICAL_KEYWORDS),
        )
    )
    return {
        "professional_services": bool(reason),
        "ps_reason": reason,
        "suggested_category": suggestion.category if suggestion else "",
        "suggestion_reason": suggestion.reason if suggestion else "",
    }


def classify_new_ticket(*, ticket: Ticket) -> TicketBilling | None:
    """Give a ticket just filed (in this transaction) its billing row when its
    classification has something to keep: professional services from the first minute, or
    a suggested category. Most tickets have neither; theirs is written by their first
    billing write (``locked_billing``), and a ticket without one reads as plain support.
    Writing the empty row on every filing cost 4.9 % of a filing (bench/RESULTS.md,
    "Stop 29")."""
    classification = _classification(ticket)
    if not (classification["professional_services"] or classification["suggested_category"]):
        return None
    return TicketBilling.objects.create(ticket=ticket, **classification)


def classify_ticket(*, ticket: Ticket) -> TicketBilling:
    """Give a ticket its billing row if it has none yet (one filed before billing existed)."""
    billing, _ = TicketBilling.objects.get_or_create(
        ticket=ticket, defaults=_classification(ticket)
    )
    return billing


def locked_billing(ticket: Ticket) -> TicketBilling:
    """The ticket's billing row, locked: every billing write on a ticket takes this lock."""
    billing = TicketBilling.objects.select_for_update().filter(ticket_id=ticket.pk).first()
    if billing is None:  # a ticket filed before billing existed
        classify_ticket(ticket=ticket)
        billing = TicketBilling.objects.select_for_update().get(ticket_id=ticket.pk)
    return billing
