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


def answer(ticket: Ticket, agent: User, *, at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        services.add_reply(ticket=ticket, author=agent, body="Here is how.")


def set_status(ticket: Ticket, agent: User, status: str, *, at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        services.change_status(ticket=ticket, actor=agent, status=status)
