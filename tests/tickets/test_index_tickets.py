"""supportal index_tickets: tickets written around the services become searchable."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from supportal.tickets.models import Ticket
from supportal.tickets.search import search_tickets
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_index_tickets_makes_bulk_loaded_text_searchable(demo):
    ticket = make_ticket(demo.bob)
    Ticket.objects.filter(pk=ticket.pk).update(description="The wombat ate the invoice.")
    assert list(search_tickets(demo.agent, "wombat").tickets) == []
    out = StringIO()
    call_command("index_tickets", stdout=out)
    assert "Indexed 1 tickets." in out.getvalue()
    assert list(search_tickets(demo.agent, "wombat").tickets) == [ticket]
