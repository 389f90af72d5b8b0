"""Bulk changes to the tickets an agent selected in a search or a view: assign, change
status, add or remove a tag. Each ticket goes through the same service as on its own page
(one audit row each, the same rules); a ticket the rules refuse is skipped with the
reason, and the others are still done. (Merging the tickets chosen in the queue is in bulk.py.)"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.utils.translation import gettext as _

from supportal.accounts.models import User
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation

from . import services, tags
from .access import can_work_tickets, tickets_visible_to
from .bulk import BulkOutcome, why_refused
from .models import Ticket

ACTIONS = ("assign", "status", "tag", "untag")


def apply_bulk_action(
    *, actor: User, ticket_ids: Sequence[int], action: str, value: str
) -> BulkOutcome:
    """Apply ``action`` with ``value`` (an assignee id or "none"; a status; a tag name) to
    each of the tickets the actor may see, one transaction per ticket.

    Preconditions: the actor works tickets; at most SUPPORTAL_BULK_ACTION_MAX tickets.
    Ids of tickets the actor may not see are ignored (never reported: they stay hidden)."""
    if not can_work_tickets(actor):
        raise NotPermitted("Only support staff change tickets in bulk.")
    if action not in ACTIONS:
        raise InvalidInput({"action": _("Choose assign, status, tag or untag.")})
    ids = list(dict.fromkeys(ticket_ids))
    if not ids:
        raise InvalidInput({"ticket_ids": _("Select at least one ticket.")})
    if len(ids) > settings.SUPPORTAL_BULK_ACTION_MAX:
        raise InvalidInput(
            {
                "ticket_ids": _("Select at most %(count)s tickets.")
                % {"count": settings.SUPPORTAL_BULK_ACTION_MAX}
            }
        )
    assignee_id = _check_value(action, value)
    result = BulkOutcome()
    for ticket in tickets_visible_to(actor).filter(pk__in=ids).order_by("pk"):
        try:
            if action == "assign":
                services.assign_ticket(ticket=ticket, actor=actor, assignee_id=assignee_id)
            elif action == "status":
                services.change_status(ticket=ticket, actor=actor, status=value)
            elif action == "tag":
                tags.add_tag(ticket=ticket, actor=actor, name=value)
            else:
                tags.remove_tag(ticket=ticket, actor=actor, name=value)
        except (InvalidInput, RuleViolation) as exc:
            result.skipped[str(ticket.number)] = why_refused(exc)
        else:
            result.done.append(str(ticket.number))
    return result


def _check_value(action: str, value: str) -> int | None:
    """Refuse a wrong value once, before any ticket changes. The assignee's id, if any."""
    if action == "assign":
        if value == "none":
            return None
        agent = User.objects.filter(pk=int(value) if value.isdigit() else 0, is_active=True).first()
        if agent is None or not agent.is_support_staff:
            raise InvalidInput({"value": _("Assign to an active member of the support staff.")})
        return agent.pk
    if action == "status" and value not in Ticket.Status.values:
        raise InvalidInput({"value": _("Unknown status %(status)r.") % {"status": value}})
    if action in {"tag", "untag"} and not tags.normalize_tag(value):
        raise InvalidInput({"value": _("Name the tag with letters or digits.")})
    return None
