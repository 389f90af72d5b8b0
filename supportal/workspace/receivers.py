"""The ticket events the workspace reacts to."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver

from supportal.tickets import events
from supportal.tickets.models import Reply, Ticket

from . import services, tasks


@receiver(events.reply_added, dispatch_uid="workspace.reply_added")
def _on_reply_added(sender: Any, *, ticket: Ticket, reply: Reply, **kwargs: Any) -> None:
    services.record_mentions(reply=reply)


@receiver(events.ticket_opened, dispatch_uid="workspace.ticket_opened")
def _on_ticket_opened(sender: Any, *, ticket: Ticket, **kwargs: Any) -> None:
    if settings.SUPPORTAL_AUTO_ASSIGN:
        ticket_id = ticket.pk
        transaction.on_commit(lambda: tasks.auto_assign_ticket_task(ticket_id))
