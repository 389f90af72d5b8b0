"""Billing writes racing on a ticket filed without a billing row, on PostgreSQL: the first
write gives the ticket its row once and every write lands. (SQLite runs one writer at a
time, so there is nothing to race there.)"""

from __future__ import annotations

import pytest
from django.db import connection

from supportal.billing import timelog
from supportal.billing.models import TicketBilling, TimeEntry
from tests.factories import make_ticket
from tests.racing import run_all

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
)

WRITERS = 5


def test_first_billing_writes_at_once_give_a_plain_ticket_one_row_and_all_land(
    transactional_db, django_db_serialized_rollback, demo
):
    ticket = make_ticket(demo.bob)  # plain support: filed without a billing row
    assert not TicketBilling.objects.filter(ticket=ticket).exists()
    actions = [
        lambda: timelog.log_time(ticket=ticket, actor=demo.agent, minutes=1, category="support")
        for _ in range(WRITERS)
    ]
    assert run_all(*actions) == []
    assert TicketBilling.objects.filter(ticket=ticket).count() == 1
    assert TimeEntry.objects.filter(ticket=ticket).count() == WRITERS
