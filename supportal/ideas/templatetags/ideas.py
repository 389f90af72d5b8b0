"""``{% load ideas %}{% idea_link_panel ticket %}``: staff count a feature request for an idea."""

from typing import Any

from django import template
from django.template import Context

from supportal.ideas import queries
from supportal.tickets.models import Ticket

register = template.Library()


@register.inclusion_tag("ideas/_link_panel.html", takes_context=True)
def idea_link_panel(context: Context, ticket: Ticket) -> dict[str, Any]:
    """Shown for feature-request tickets only (the template includes it in the staff panel)."""
    show = ticket.kind == Ticket.Kind.FEATURE_REQUEST
    return {
        "show": show,
        "ticket": ticket,
        "link": queries.ticket_link(ticket.pk) if show else None,
        "ideas": queries.idea_choices() if show else [],
        "csrf_token": context.get("csrf_token"),
    }
