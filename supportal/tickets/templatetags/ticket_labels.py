"""Human labels for values stored in audit events."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from supportal.tickets.models import Ticket

register = template.Library()


@register.filter
def status_label(value: str | None) -> str:
    """'pending_customer' → 'Pending customer'; unknown values are shown as they are."""
    if value in Ticket.Status.values:
        return str(Ticket.Status(value).label)
    return value or ""


@register.simple_tag
def status_badge(ticket: Ticket) -> SafeString:
    """The status as a coloured badge (a tag, not an include: lists show one per row)."""
    return format_html(
        '<span class="badge badge--{}">{}</span>', ticket.status, ticket.get_status_display()
    )
