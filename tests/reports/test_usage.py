"""The organization's usage at a glance."""

from decimal import Decimal

import time_machine

from supportal.reports import queries, services
from tests.factories import make_ticket
from tests.training import train

from .conftest import answer, chicago


def test_usage_counts_open_tickets_and_averages_first_response(demo):
    a = make_ticket(demo.alice, at=chicago(2025, 9, 2, 9), product="pressero")
    b = make_ticket(demo.bob, at=chicago(2025, 9, 2, 9), product="pressero")
    answer(a, demo.agent, at=chicago(2025, 9, 2, 10))  # 1h
    answer(b, demo.agent, at=chicago(2025, 9, 2, 12))  # 3h
    train(demo.carol, "pjm")
    make_ticket(demo.carol, at=chicago(2025, 9, 2, 9), product="pjm")
    services.refresh_stale_timings()
    with time_machine.travel(chicago(2025, 9, 10, 12), tick=False):
        alice = queries.usage_for(demo.alice)
        bob = queries.usage_for(demo.bob)
        carol = queries.usage_for(demo.carol)
    assert alice.open_tickets == 2 and alice.answered_this_quarter == 2
    assert alice.average_first_response == "2h 00m"
    assert alice.quarter == "2025-Q3"
    assert alice.expert_included_hours == Decimal("3.00")
    assert alice.expert_remaining_hours == Decimal("3.00")
    assert alice.charges_this_month == Decimal("0.00")
    assert bob.open_tickets == 1 and bob.average_first_response == "3h 00m"
    assert bob.charges_this_month is None  # billing is the customer admin's
    assert carol.open_tickets == 1 and carol.answered_this_quarter == 0


def test_staff_have_no_organization_usage(demo):
    assert queries.usage_for(demo.agent) is None
