"""Connect SLA clocks and on-call paging to the ticket domain events."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from supportal.tickets import events
from supportal.tickets.models import Reply, Ticket

from . import paging, services
from .calendars import forget_calendars
from .models import Closure, SlaPolicy, WorkingHours
from .tasks import run_page_task


@receiver(events.ticket_opened, dispatch_uid="sla.ticket_opened")
def _on_ticket_opened(sender: Any, *, ticket: Ticket, **kwargs: Any) -> None:
    services.start_clocks(ticket=ticket)
    page = paging.page_if_after_hours(ticket=ticket)
    if page is not None:
        transaction.on_commit(lambda: run_page_task(page.pk))


@receiver(events.ticket_status_changed, dispatch_uid="sla.ticket_status_changed")
def _on_status_changed(
    sender: Any, *, ticket: Ticket, old_status: str, new_status: str, **kwargs: Any
) -> None:
    services.follow_status(ticket=ticket, old_status=old_status, new_status=new_status)
    paging.cancel_page_if_closed(ticket=ticket)


@receiver(events.reply_added, dispatch_uid="sla.reply_added")
def _on_reply_added(sender: Any, *, ticket: Ticket, reply: Reply, **kwargs: Any) -> None:
    services.follow_reply(ticket=ticket, reply=reply)


@receiver(events.urgency_raised, dispatch_uid="sla.urgency_raised")
def _on_urgency_raised(sender: Any, *, ticket: Ticket, **kwargs: Any) -> None:
    page = paging.page_if_after_hours(ticket=ticket)
    if page is not None:
        transaction.on_commit(lambda: run_page_task(page.pk))


@receiver(events.urgency_downgraded, dispatch_uid="sla.urgency_downgraded")
def _on_urgency_downgraded(sender: Any, *, ticket: Ticket, **kwargs: Any) -> None:
    paging.cancel_page(ticket=ticket)


@receiver([post_save, post_delete], sender=WorkingHours, dispatch_uid="sla.hours_changed")
@receiver([post_save, post_delete], sender=Closure, dispatch_uid="sla.closure_changed")
@receiver([post_save, post_delete], sender=SlaPolicy, dispatch_uid="sla.policy_changed")
def _forget_calendars(sender: Any, **kwargs: Any) -> None:
    """Cache invalidation only: edits in this process apply at once."""
    forget_calendars()
