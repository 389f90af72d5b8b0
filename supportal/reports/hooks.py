"""Keep ticket timings fresh: recompute after the transaction that answered, resolved or
reopened a ticket commits (the SLA clocks have followed the ticket by then). Plugged into
tickets.hooks in apps.py."""

from __future__ import annotations

from django.db import transaction

from supportal.tickets.models import Reply, Ticket

from .tasks import refresh_timing_task


def refresh_after_reply(*, ticket: Ticket, reply: Reply) -> None:
    if not reply.internal:
        refresh_after_status_change(ticket=ticket)


def refresh_after_status_change(*, ticket: Ticket) -> None:
    ticket_id = ticket.pk
    transaction.on_commit(lambda: refresh_timing_task(ticket_id))
