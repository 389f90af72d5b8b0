"""The workspace's steps in the ticket services (``tickets.hooks``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from supportal.tickets.models import Reply, Ticket

from . import services, tasks


def record_mentions(*, ticket: Ticket, reply: Reply, **kwargs: Any) -> None:
    services.record_mentions(reply=reply)


def assign_new_ticket(*, ticket: Ticket, **kwargs: Any) -> None:
    """With automatic assignment on, a job gives the ticket out once it is committed."""
    if settings.SUPPORTAL_AUTO_ASSIGN:
        ticket_id = ticket.pk
        transaction.on_commit(lambda: tasks.auto_assign_ticket_task(ticket_id))
