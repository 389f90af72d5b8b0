"""The workspace's pieces on other apps' pages: the ticket's presence panel, the count
of unread mentions in the staff menu."""

from __future__ import annotations

from typing import Any

from django import template

from supportal.accounts.models import User
from supportal.tickets.access import can_read_as_staff
from supportal.tickets.models import Ticket

from ..queries import unread_mention_count

register = template.Library()


@register.inclusion_tag("workspace/_presence.html", takes_context=True)
def presence_panel(context: dict[str, Any], ticket: Ticket) -> dict[str, Any]:
    user = context.get("user")
    return {"ticket": ticket, "show": isinstance(user, User) and can_read_as_staff(user)}


@register.simple_tag
def unread_mentions(user: User) -> int:
    if not isinstance(user, User) or not user.is_support_staff:
        return 0
    return unread_mention_count(user)
