"""Human labels for values stored in audit events."""

from __future__ import annotations

from django import template

from supportal.tickets.models import Ticket

register = template.Library()


@register.filter
def status_label(value: str | None) -> str:
    """'pending_customer' → 'Pending customer'; unknown values are shown as they are."""
    if value in Ticket.Status.values:
        return str(Ticket.Status(value).label)
    return value or ""
