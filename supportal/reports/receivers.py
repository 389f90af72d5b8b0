"""Keep ticket timings fresh: recompute after the transaction that answered, resolved or
reopened a ticket commits (the SLA receivers have updated the ticket by then)."""

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from supportal.tickets import events
from supportal.tickets.models import Reply, Ticket

from .tasks import refresh_timing_task


def _refresh_after_commit(ticket_id: int) -> None:
    transaction.on_commit(lambda: refresh_timing_task(ticket_id))


@receiver(events.reply_added, dispatch_uid="reports.reply_added")
def _on_reply_added(sender: Any, *, ticket: Ticket, reply: Reply, **kwargs: Any) -> None:
    if not reply.internal:
        _refresh_after_commit(ticket.pk)


@receiver(events.ticket_status_changed, dispatch_uid="reports.ticket_status_changed")
def _on_status_changed(sender: Any, *, ticket: Ticket, **kwargs: Any) -> None:
    _refresh_after_commit(ticket.pk)
