"""The survey on the customer's ticket page and in the resolved mail: one click answers."""

from __future__ import annotations

from typing import Any

from django import template

from supportal.accounts.models import User
from supportal.tickets.models import Ticket

from ..models import SurveyAnswer
from ..services import answer_links, survey_links

register = template.Library()


@register.inclusion_tag("csat/_panel.html", takes_context=True)
def csat_panel(context: dict[str, Any], ticket: Ticket) -> dict[str, Any]:
    """For the customers who see the ticket (its requester, their admin), once resolved."""
    user = context.get("user")
    resolved = ticket.status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED)
    if not (isinstance(user, User) and user.is_customer and resolved):
        return {"show": False}
    answer = SurveyAnswer.objects.filter(ticket=ticket).first()
    return {
        "show": True,
        "answer": answer,
        "links": [] if answer else answer_links(ticket),
    }


@register.simple_tag
def csat_mail_links(ticket: Ticket) -> list[tuple[int, str, str]]:
    """For the mail that says the ticket is resolved (intake/email/status_changed)."""
    return survey_links(ticket)
