"""Connect deflection counting to the ticket domain events."""

from typing import Any

from django.dispatch import receiver

from supportal.tickets import events
from supportal.tickets.models import Ticket

from . import services


@receiver(events.ticket_opened, dispatch_uid="kb.ticket_opened")
def _on_ticket_opened(sender: Any, *, ticket: Ticket, **kwargs: Any) -> None:
    services.record_ticket_filed(ticket=ticket)
