"""Connect billing to the ticket domain events."""

from typing import Any

from django.dispatch import receiver

from supportal.tickets import events

from . import services


@receiver(events.ticket_opened, dispatch_uid="billing.ticket_opened")
def _on_ticket_opened(sender: Any, *, ticket, **kwargs: Any) -> None:
    services.classify_new_ticket(ticket=ticket)
