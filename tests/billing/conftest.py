"""Billing fixtures: tickets filed through the ticket service, notices accepted as customers."""

from __future__ import annotations

import pytest

from supportal.billing import notices
from tests.factories import make_ticket


def accepted_notice(ticket, staff, customer, *, category="ps_admin", minutes=60, **kw):
    notice = notices.send_notice(
        ticket=ticket,
        actor=staff,
        category=category,
        estimate_minutes=minutes,
        message="Beyond support.",
        **kw,
    )
    return notices.accept_notice(notice=notice, customer=customer)


@pytest.fixture
def acme_ticket(demo):
    return make_ticket(demo.alice)
