"""What sla does when the ticket services open, answer or change a ticket (tickets.hooks),
besides the services it plugs in directly (filled in apps.py)."""

from __future__ import annotations

from django.db import transaction

from supportal.tickets.models import Ticket

from . import paging, services
from .tasks import run_page_task


def page_on_call(*, ticket: Ticket) -> None:
    """An urgent ticket filed, or marked urgent, outside every region's working hours pages
    on-call; the first notification goes out after commit."""
    page = paging.page_if_after_hours(ticket=ticket)
    if page is not None:
        transaction.on_commit(lambda: run_page_task(page.pk))


def follow_status(*, ticket: Ticket, old_status: str, new_status: str) -> None:
    """The clocks pause, resume or stop with the status; a resolved or closed ticket's page
    stops."""
    services.follow_status(ticket=ticket, old_status=old_status, new_status=new_status)
    paging.cancel_page_if_closed(ticket=ticket)
