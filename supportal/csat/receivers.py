"""Ask for a rating when a ticket is resolved."""

from typing import Any

from django.dispatch import receiver

from supportal.tickets import events
from supportal.tickets.models import Ticket

from . import services


@receiver(events.ticket_status_changed, dispatch_uid="csat.ticket_status_changed")
def _on_status_changed(sender: Any, *, ticket: Ticket, new_status: str, **kwargs: Any) -> None:
    if new_status == Ticket.Status.RESOLVED:
        services.ask_for_rating(ticket=ticket)
