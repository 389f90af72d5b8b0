"""Tickets filed, answered and resolved at chosen moments through the real services."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from supportal.accounts.models import User
from supportal.tickets import services
from supportal.tickets.models import Ticket

CHICAGO = ZoneInfo("America/Chicago")
MADRID = ZoneInfo("Europe/Madrid")


@pytest.fixture(autouse=True)
def _no_figure_cache(settings):
    settings.SUPPORTAL_REPORTS_CACHE_SECONDS = 0


def chicago(*args: int) -> datetime:
    return datetime(*args, tzinfo=CHICAGO)


def file_ticket(
    user: User,
    *,
    at: datetime,
    product: str,
    subject: str = "How do I change the shipping options?",
    kind: str = "question",
    urgent: bool = False,
    channel: str = Ticket.Channel.PORTAL,
    admin_password: str = "",
) -> Ticket:
    draft = services.TicketDraft(
        product=product,
        kind=kind,
        subject=subject,
        description="Steps and details.",
        admin_username="admin" if admin_password else "",
        admin_password=admin_password,
        urgent=urgent,
        urgent_reason="cannot_order" if urgent else "",
    )
    with time_machine.travel(at, tick=False):
        return services.open_ticket(requester=user, draft=draft, channel=channel)


def answer(ticket: Ticket, agent: User, *, at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        services.add_reply(ticket=ticket, author=agent, body="Here is how.")


def set_status(ticket: Ticket, agent: User, status: str, *, at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        services.change_status(ticket=ticket, actor=agent, status=status)
